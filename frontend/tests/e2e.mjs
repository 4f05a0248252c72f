// End-to-end test of the window's pages against the real Go core: the
// dev-tagged mezhved binary serves the embedded frontend and Wails' bridge,
// Debian's Chromium (driven by playwright-core) clicks through it.
//
// Usage: node tests/e2e.mjs http://localhost:34116 ../artifacts/e2e
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'

const [base = 'http://localhost:34116', out = '../artifacts/e2e'] = process.argv.slice(2)
mkdirSync(out, { recursive: true })

let failures = 0
let passes = 0
async function step(name, fn) {
  try {
    await fn()
    passes++
    console.log(`ok   ${name}`)
  } catch (e) {
    try {
      await page.screenshot({ path: join(out, `FAILED-${passes + failures + 1}.png`) })
    } catch {}
    failures++
    console.log(`FAIL ${name}\n     ${String(e?.message ?? e).split('\n').join('\n     ')}`)
  }
}
function expect(cond, msg) {
  if (!cond) throw new Error(msg)
}

// 150 % scaling on a 1024×768 screen: the page lays out in 683×512 CSS
// pixels, drawn on 1024×768 device pixels. This is what WebKit gives the
// page in the Wails window there (a 1024×768 viewport with
// deviceScaleFactor 1.5 would be a 1536×1152 screen: the layout would not
// be the small one), and the screenshots are the size of the clerk's screen.
const SCALED_150 = { viewport: { width: 683, height: 512 }, deviceScaleFactor: 1.5, locale: 'ru-RU' }
const PLAIN_1024 = { viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1, locale: 'ru-RU' }

// Whether the element `sel` (the first match) lies inside the viewport and
// is what the page shows at its centre (document.elementFromPoint): not
// cut off, not under the notification or a bar. `scroll`: 'bottom' first
// scrolls the page (main) to its end, 'into' brings the element into view
// vertically; nothing ever scrolls sideways, so a column that does not fit
// is not found visible.
async function shown(p, sel, what, scroll = '') {
  const r = await p.evaluate(([sel, scroll]) => {
    const el = document.querySelector(sel)
    if (!el) return { why: 'not in the page' }
    const main = document.querySelector('main')
    if (scroll === 'bottom' && main) main.scrollTop = main.scrollHeight
    if (scroll === 'into' && main) {
      const b = el.getBoundingClientRect(), m = main.getBoundingClientRect()
      if (b.top < m.top || b.bottom > m.bottom) main.scrollTop += b.top - m.top - 8
    }
    // What of it the page shows: inside the window, and inside the page
    // (main) it scrolls in; never cut off sideways, at least a line high.
    const e = el.getBoundingClientRect()
    const m = main && main.contains(el) ? main.getBoundingClientRect() : { left: 0, top: 0, right: innerWidth, bottom: innerHeight }
    const b = { left: Math.max(e.left, m.left, 0), top: Math.max(e.top, m.top, 0),
      right: Math.min(e.right, m.right, innerWidth), bottom: Math.min(e.bottom, m.bottom, innerHeight) }
    const box = { left: Math.round(e.left), top: Math.round(e.top), right: Math.round(e.right), bottom: Math.round(e.bottom),
      visibleTop: Math.round(b.top), visibleBottom: Math.round(b.bottom) }
    const inside = e.width > 0 && e.height > 0 && b.right - b.left >= e.width - 0.5 && b.bottom - b.top >= Math.min(e.height, 20) - 0.5
    const hit = document.elementFromPoint((b.left + b.right) / 2, (b.top + b.bottom) / 2)
    const own = !!hit && (hit === el || el.contains(hit))
    const t = document.querySelector('.toast.shown')?.getBoundingClientRect()
    const underToast = !!t && t.left < b.right && b.left < t.right && t.top < b.bottom && b.top < t.bottom
    return { box, inside, own, underToast, toast: !!t, hit: hit ? hit.outerHTML.slice(0, 100) : null, viewport: [innerWidth, innerHeight] }
  }, [sel, scroll])
  expect(r.inside && r.own && !r.underToast, `${what} (${sel}) is not visible: ${JSON.stringify(r)}`)
  return r
}

// The one notification on the screen (a reminder of the deadlines).
async function toastUp(p) {
  await p.evaluate(() => window.go.app.DeadlinesService.Remind())
  await p.locator('.toast.shown').first().waitFor({ timeout: 5000 })
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
})
const page = await browser.newPage({ viewport: { width: 1280, height: 820 }, locale: 'ru-RU' })
const consoleErrors = []
page.on('pageerror', (e) => {
  const stack = String(e.stack ?? e)
  // Wails' own dev-mode bridge script (/wails/ipc.js) throws once at load in
  // a headless browser; it is not part of the application.
  if (/^\s+at /m.test(stack) && stack.split('\n').filter((l) => /^\s+at /.test(l)).every((l) => l.includes('/wails/'))) {
    console.log(`note: ignored an error inside Wails' dev bridge: ${String(e.message)}`)
    return
  }
  consoleErrors.push(stack)
})

// Russian everywhere the clerk looks: every screen the run photographs is
// read first, and a Latin word outside the allow-list (names of systems and
// formats, keys, file names) or an ISO date (2026-12-03) is a failure of
// the step «every screen is in Russian». Technical details the clerk opens
// for the support service (.tech), the XML tab and what is typed into
// fields are not read.
const LATIN_ALLOWED = new Set(['PIN', 'PDF', 'XML', 'SHA', 'Alt', 'Ctrl', 'Enter', 'Esc', 'TLS', 'PEM', 'ViPNet', 'pkcs', 'pfx', 'pem', 'p12',
  'http', 'https', 'PKCS', 'CryptoPro', 'JaCarta', 'Rutoken', 'SoftHSM', 'CSP', 'USB'])
const FILE_NAME = /^[\p{L}\d_.()-]+\.(pdf|xml|png|jpe?g|tiff?|zip|pfx|p12|pem|cer|crt|key|sig|txt|docx?|xlsx?)$/iu
const russianProblems = []
async function readScreen(p, where) {
  const text = await p.evaluate(() => {
    const skip = 'script, style, .tech, pre.xml, [data-latin-ok]'
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    const parts = []
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement
      if (!el || el.closest(skip) || !el.checkVisibility?.()) continue
      parts.push(n.nodeValue)
    }
    for (const el of document.querySelectorAll('[placeholder], [aria-label], [title]')) {
      if (el.closest(skip) || !el.checkVisibility?.()) continue
      for (const a of ['placeholder', 'aria-label', 'title']) if (el.getAttribute(a)) parts.push(el.getAttribute(a))
    }
    return parts.join('\n')
  })
  const bad = new Set()
  for (const raw of text.split(/[\s«»"“”()[\]{}]+/)) {
    const token = raw.replace(/^[,;:!?]+|[,;:!?.…]+$/g, '')
    if (!token) continue
    // file names and their extensions, addresses, paths, certificate serials
    // (hex), CryptoPro container folders (xxxxxxxx.000)
    if (FILE_NAME.test(token) || /^\.\w+$/.test(token) || /^[a-z]+:\/\//.test(token) || /^[\w.-]+@[\w.-]+$/.test(token) ||
      /^(\/|[A-Za-z]:\\)/.test(token) || /^[0-9A-F]{2,}$/.test(token) || /^[\w-]+\.\d{3}$/.test(token) ||
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(token)) continue // and identifiers (UUID) in documents
    for (const w of token.match(/[A-Za-z]{2,}/g) ?? []) if (!LATIN_ALLOWED.has(w)) bad.add(w)
  }
  for (const d of text.match(/\b\d{4}-\d{2}-\d{2}\b/g) ?? []) bad.add(d)
  if (bad.size) russianProblems.push(`${where}: ${[...bad].join(', ')}`)
}
function readsBeforeShots(p) {
  const shoot = p.screenshot.bind(p)
  p.screenshot = async (opts = {}) => {
    await readScreen(p, String(opts.path ?? 'screen').split('/').pop())
    return shoot(opts)
  }
  return p
}
readsBeforeShots(page)
const newPage = browser.newPage.bind(browser)
browser.newPage = async (...args) => readsBeforeShots(await newPage(...args))

try {
  await step('the window opens on the outgoing journal', async () => {
    await page.goto(base, { waitUntil: 'load' })
    await page.waitForFunction(() => !!window.go?.app?.JournalService, null, { timeout: 10000 })
    await page.getByRole('heading', { name: 'Исходящие запросы' }).waitFor({ timeout: 10000 })
  })

  await step('every section is in the navigation, in Russian', async () => {
    for (const name of ['Исходящие', 'Входящие', 'Сроки', 'Шаблоны', 'Настройки']) {
      const n = await page.getByRole('navigation').getByRole('button', { name, exact: false }).count()
      expect(n === 1, `section «${name}»: ${n} buttons`)
    }
  })

  await step('the empty journal tells the clerk what to do next', async () => {
    await page.getByText('Исходящих запросов пока нет').waitFor({ timeout: 5000 })
    await page.getByText('Рабочее место не настроено').waitFor({ timeout: 5000 })
    await page.screenshot({ path: join(out, 'journal-empty.png') })
  })

  await step('a wrong identity is explained and nothing is saved', async () => {
    await page.keyboard.press('Alt+6')
    await page.getByRole('heading', { name: 'Настройки' }).waitFor()
    await page.getByLabel('ОКТМО').fill('12ab')
    await page.getByRole('button', { name: 'Сохранить', exact: true }).click()
    const alert = page.getByRole('alert')
    await alert.waitFor()
    const text = await alert.innerText()
    expect(text.includes('Укажите название поселения') && text.includes('ОКТМО'), `alert: ${text}`)
    await page.screenshot({ path: join(out, 'settings-error.png') })
  })

  await step('the identity is saved and shown in the status bar', async () => {
    await page.getByLabel('Поселение').fill('Берёзовское сельское поселение')
    await page.getByLabel('ОКТМО').fill('46608404')
    await page.getByLabel('Сотрудник (ФИО)').fill('Иванова Мария Петровна')
    await page.getByRole('button', { name: 'Сохранить', exact: true }).click()
    await page.getByText('Сохранено.').waitFor()
    const footer = await page.locator('footer').innerText()
    expect(footer.includes('Берёзовское сельское поселение') && footer.includes('Иванова Мария Петровна'), `footer: ${footer}`)
    await page.screenshot({ path: join(out, 'settings.png') })
  })

  await step('incoming and deadlines views show their empty states', async () => {
    await page.getByRole('button', { name: 'Входящие' }).click()
    await page.getByText('Входящих запросов нет').waitFor()
    await page.getByRole('button', { name: 'Сроки' }).click()
    await page.getByText('Просроченных запросов нет').waitFor()
    await page.screenshot({ path: join(out, 'deadlines.png') })
  })

  await step('keyboard: Alt+1 returns to the journal and focus is visible', async () => {
    await page.keyboard.press('Alt+1')
    await page.getByRole('heading', { name: 'Исходящие запросы' }).waitFor()
    await page.keyboard.press('Control+f')
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('type'))
    expect(focused === 'search', `focused: ${focused}`)
  })

  await step('«Создать запрос» keeps nothing until the form is filled in', async () => {
    await page.keyboard.press('Alt+4')
    await page.getByRole('heading', { name: 'Шаблоны запросов' }).waitFor()
    await page.getByPlaceholder('Поиск: вид сведений').fill('СНИЛС проверка')
    await page.locator('li', { hasText: 'Проверка соответствия СНИЛС' }).getByRole('button', { name: 'Создать запрос' }).click()
    await page.getByText(/Новый запрос: черновик сохранится/).waitFor()
    await page.screenshot({ path: join(out, 'compose-new.png') })
    await page.getByRole('button', { name: '← К журналу' }).click()
    await page.getByText('Исходящих запросов пока нет').waitFor()
  })

  await step('a new request: choose a template, the form checks as the clerk types', async () => {
    await page.getByRole('button', { name: 'Исходящие' }).click()
    await page.getByRole('button', { name: 'Новый запрос' }).click()
    await page.getByRole('heading', { name: 'Шаблоны запросов' }).waitFor()
    await page.getByPlaceholder('Поиск: вид сведений').fill('СНИЛС проверка')
    const card = page.locator('li', { hasText: 'Проверка соответствия СНИЛС' })
    await card.getByRole('button', { name: 'Создать запрос' }).click()
    await page.getByRole('heading', { name: /Проверка соответствия СНИЛС/ }).waitFor()
    const snils = page.getByLabel(/^СНИЛС/)
    await snils.fill('112-233-445 96')
    await snils.blur()
    const problem = page.locator('.field.bad .problem', { hasText: /контрольн/ }).first()
    await problem.waitFor({ timeout: 5000 })
    const text = await problem.innerText()
    expect(/контрольн/i.test(text), `problem: ${text}`)
    await page.screenshot({ path: join(out, 'compose-error.png') })
  })

  await step('the examples complete the form; the draft is kept in the journal', async () => {
    const fields = await page.evaluate(async () => {
      const cards = await window.go.app.TemplatesService.Get('sfr-snils-check')
      return cards.fields.map((f) => [f.label, f.example, f.type])
    })
    for (const [label, example, type] of fields) {
      const el = page.getByLabel(new RegExp('^' + label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      if (type === 'choice') await el.selectOption(example)
      else await el.fill(example)
    }
    await page.getByText('Запрос заполнен без ошибок.').waitFor({ timeout: 5000 })
    await page.getByLabel('Приложить файл').setInputFiles({ name: 'заявление.pdf', mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n%%EOF\n') })
    await page.getByText('заявление.pdf').waitFor()
    await page.getByRole('tab', { name: 'Как документ' }).click()
    await page.getByText('Межведомственный запрос').waitFor()
    await page.screenshot({ path: join(out, 'compose-document.png') })
    await page.getByRole('tab', { name: 'XML' }).click()
    await page.locator('pre.xml').waitFor()
    await page.getByRole('button', { name: '← К журналу' }).click()
    await page.getByRole('cell', { name: 'Проверка соответствия СНИЛС и персональных данных гражданина' }).waitFor()
    await page.screenshot({ path: join(out, 'journal-with-draft.png') })
  })

  await step('journal filters: by status and by words, any case', async () => {
    await page.getByLabel('Статус').selectOption('rejected')
    await page.getByText('Ничего не найдено').waitFor()
    await page.getByLabel('Статус').selectOption('draft')
    await page.getByRole('cell', { name: 'Проверка соответствия СНИЛС и персональных данных гражданина' }).waitFor()
    await page.getByLabel('Статус').selectOption('')
    await page.getByPlaceholder(/Поиск: заявитель/).fill('ПРОВЕРКА снилс')
    await page.getByText('Показаны 1–1 из 1').waitFor()
    await page.getByPlaceholder(/Поиск: заявитель/).fill('')
  })

  await step('the settings reach every new draft; a date typed short is kept in full; a reopened draft marks its wrong fields; a draft is deleted', async () => {
    const before = await page.evaluate(async () => {
      const id = await window.go.app.SettingsService.Identity()
      await window.go.app.SettingsService.SaveIdentity({ ...id, ogrn: '1024600000017', position: 'Глава администрации', signer: 'Петров Пётр Петрович' })
      return id
    })
    await page.keyboard.press('Alt+4')
    await page.getByPlaceholder('Поиск: вид сведений').fill('СНИЛС проверка')
    await page.locator('li', { hasText: 'Проверка соответствия СНИЛС' }).getByRole('button', { name: 'Создать запрос' }).click()
    await page.getByRole('heading', { name: /Проверка соответствия СНИЛС/ }).waitFor()
    for (const [label, want] of [[/^ОГРН запрашивающего органа/, '1024600000017'], [/^Должность/, 'Глава администрации'],
      [/^Ф\. И\. О\. должностного лица/, 'Петров Пётр Петрович']]) {
      const got = await page.getByLabel(label).inputValue()
      expect(got === want, `${label}: «${got}», want «${want}»`)
    }
    const birth = page.getByLabel(/^Дата рождения заявителя/)
    await birth.fill('1.2.85')
    await page.getByText(/^Черновик № \d+$/).waitFor({ timeout: 5000 })
    await birth.blur()
    await page.waitForFunction(() => document.getElementById('f-applicant.birth_date')?.value === '01.02.1985', null, { timeout: 5000 })
    const no = /\d+/.exec(await page.getByText(/^Черновик № \d+$/).innerText())[0]
    await page.getByRole('button', { name: '← К журналу' }).click()
    await page.getByRole('row', { name: new RegExp(`^${no} `) }).click()
    // Opened again: every wrong field is marked, not only counted.
    await page.locator('.field.bad .problem').first().waitFor({ timeout: 5000 })
    const marked = await page.locator('.field.bad .problem').count()
    expect(marked >= 2, `${marked} fields marked`)
    expect(await page.getByLabel(/^Дата рождения заявителя/).inputValue() === '01.02.1985', 'the birth date is not kept in full')
    await page.screenshot({ path: join(out, 'draft-reopened.png') })
    await page.getByRole('button', { name: 'Удалить черновик…' }).click()
    await page.getByRole('button', { name: 'Да, удалить' }).click()
    await page.getByRole('heading', { name: 'Исходящие запросы' }).waitFor()
    await page.getByText('Показаны 1–1 из 1').waitFor()
    // The identity as it was, for the steps that follow.
    await page.evaluate((id) => window.go.app.SettingsService.SaveIdentity(id), before)
  })

  await step('Сроки: a paper request registered by hand is tracked; mistakes are explained', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Сроки' }).click()
    await page.getByRole('button', { name: 'Зарегистрировать запрос по факсу или почте' }).click()
    await page.getByRole('button', { name: 'Зарегистрировать', exact: true }).click()
    const alert = page.locator('form.paper [role=alert]')
    await alert.waitFor()
    const text = await alert.innerText()
    expect(text.includes('исходящий номер') && text.includes('ведомство'), `alert: ${text}`)
    const d = new Date(Date.now() - 30 * 86400000)
    const sent = `${String(d.getDate()).padStart(2, '0')}.${String(d.getMonth() + 1).padStart(2, '0')}.${d.getFullYear()}`
    await page.getByLabel('Как отправлен').selectOption('post')
    await page.getByLabel('Исходящий номер').fill('01-12/348')
    await page.getByLabel('Дата отправки').fill(sent)
    await page.getByLabel('Ведомство').fill('Социальный фонд России')
    await page.getByLabel('Какие сведения запрошены').fill('Сведения о выплатах')
    await page.getByRole('button', { name: 'Зарегистрировать', exact: true }).click()
    await page.getByText('Запрос № 01-12/348 зарегистрирован').waitFor()
    const overdue = page.locator('li.overdue', { hasText: 'Сведения о выплатах' })
    await overdue.waitFor()
    expect((await overdue.innerText()).includes('почта'), 'the paper channel is not shown')
    await page.screenshot({ path: join(out, 'deadlines-paper.png') })
  })

  await step('settings: a connection file is checked on the spot; «Подключить к региону…» is offered', async () => {
    await page.keyboard.press('Alt+6')
    await page.getByRole('button', { name: 'Подключить к региону…' }).waitFor()
    await page.getByLabel('Сертификат клиента TLS (PEM)').fill('/нет/такого/client.pem')
    await page.keyboard.press('Tab')
    await page.getByText(/✗ Файл не найден: \/нет\/такого\/client\.pem/).waitFor()
    await page.getByLabel('Сертификат клиента TLS (PEM)').fill('')
    // The timeout in words, not as a Go duration.
    expect(await page.getByLabel('Время ожидания ответа').getAttribute('placeholder') === '60 секунд', 'the timeout is not asked in seconds in words')
  })

  await step('training mode: the key picker lists the training key with its certificate; it is chosen, opened with a PIN, the draft is signed, sent, answered', async () => {
    await page.keyboard.press('Alt+6')
    await page.getByLabel(/Учебный режим/).check()
    await page.getByRole('button', { name: 'Сохранить', exact: true }).click()
    await page.locator('.training', { hasText: 'Учебный режим: запросы уходят' }).waitFor()
    await page.keyboard.press('Alt+1')
    await page.getByRole('cell', { name: 'Проверка соответствия СНИЛС и персональных данных гражданина' }).click()
    await page.getByRole('button', { name: 'Подписать и отправить…' }).click()
    // The dialog takes the keyboard; Escape closes it.
    const inside = await page.evaluate(() => !!document.activeElement?.closest('[role=dialog]'))
    expect(inside, 'focus is not in the sign dialog')
    await page.keyboard.press('Escape')
    await page.getByRole('dialog').waitFor({ state: 'detached' })
    await page.getByRole('button', { name: 'Подписать и отправить…' }).click()
    const dialog = page.getByRole('dialog')
    // The picker «Ключ подписи»: every key found, the training key first,
    // each with its certificate and the verdict on its chain, no PIN asked.
    await dialog.getByRole('heading', { name: 'Ключ подписи' }).waitFor()
    const trainingKey = dialog.getByRole('radio', { name: /^Учебный ключ: Иванова Мария Петровна/ })
    await trainingKey.waitFor()
    await trainingKey.focus()
    await page.keyboard.press('Space')
    expect(await trainingKey.isChecked(), 'the training key is not chosen by keyboard')
    const chosen = dialog.getByRole('region', { name: 'Выбранный ключ' })
    await chosen.getByText('Иванова Мария Петровна').waitFor()
    await chosen.getByText(/^действительна/).waitFor()
    await chosen.getByText(/не сертифицированное средство/).waitFor()
    await page.screenshot({ path: join(out, 'key-picker.png') })
    await dialog.getByLabel('PIN-код', { exact: true }).fill('0000')
    await dialog.getByRole('button', { name: 'Открыть ключ' }).click()
    // The picker goes once the key is open (until then the name is in both).
    await dialog.getByRole('radiogroup', { name: 'Найденные ключи' }).waitFor({ state: 'detached' })
    await dialog.getByText('Иванова Мария Петровна').waitFor()
    await dialog.getByText(/действителен до \d\d\.\d\d\.\d{4}/).waitFor()
    await page.screenshot({ path: join(out, 'sign-dialog.png') })
    await dialog.getByRole('button', { name: 'Подписать', exact: true }).click()
    await dialog.getByRole('button', { name: 'Да, отправить' }).click()
    await page.getByRole('heading', { name: 'История' }).waitFor()
    await page.locator('.pill', { hasText: /Ответ получен|Отказ/ }).waitFor({ timeout: 45000 })
    await page.getByText(/ЭП-СМЭВ: действительна/).first().waitFor()
    await page.getByText(/ЭП-ОВ: действительна/).first().waitFor()
    const hist = await page.locator('ol.timeline').innerText()
    expect(hist.includes('Подписан') && hist.includes('В очереди') && hist.includes('Отправлен'), `timeline: ${hist}`)
    // The road in the request's details; the answer's data under its schema's words.
    await page.locator('.meta .road', { hasText: 'через СМЭВ 3 напрямую' }).waitFor()
    const tl = await page.evaluate(async () => {
      const list = await window.go.app.JournalService.List({ direction: 'out', statuses: ['answered', 'rejected'], limit: 1 })
      return window.go.app.RequestsService.Timeline(list.rows[0].id)
    })
    const rep = tl.replies.find((r) => r.sections?.length)
    if (rep) {
      const reply = page.locator('article.reply .sections')
      for (const sec of rep.sections) {
        if (sec.columns?.length) {
          const table = reply.locator('table', { has: page.locator('caption', { hasText: sec.title }) })
          await table.waitFor()
          expect(await table.locator('thead th').count() === sec.columns.length, `table «${sec.title}»: columns`)
          expect(await table.locator('tbody tr').count() === Math.max(1, sec.rows?.length ?? 0), `table «${sec.title}»: rows`)
        } else {
          if (sec.title) await reply.getByRole('heading', { name: sec.title, exact: true }).first().waitFor()
          for (const f of sec.fields.slice(0, 3)) await reply.locator('dt', { hasText: f.label }).first().waitFor()
        }
      }
      console.log(`note: the answer shows ${rep.sections.length} section(s) (${rep.sections.filter((x) => x.columns?.length).length} table(s))`)
    } else {
      console.log('note: the training answer has no sections (not a published kind of data): its readable list is shown')
      expect(await page.locator('article.reply dl').count() > 0, 'the answer shows no data')
    }
    await page.screenshot({ path: join(out, 'reply.png'), fullPage: true })
  })

  await step('an answer of a published kind of data (ЕГРИП) shows under its schema\'s words: titled sections of label and value, repeated parts as tables with captions that scroll in their own box at 150 %', async () => {
    // The key is open from the step before: the requests go like the clerk's.
    // Three of them: the training node fills the optional parts at random, and
    // a repeated part (a table) is wanted.
    const ids = await page.evaluate(async () => {
      const card = await window.go.app.TemplatesService.Get('fns-egrip')
      const ids = []
      for (let i = 0; i < 3; i++) {
        const values = Object.fromEntries(card.fields.map((f) => [f.name, f.example]))
        let d = await window.go.app.RequestsService.CreateDraft('fns-egrip', 0, '', values)
        // «one of the two» (ОГРНИП or ИНН): the examples fill both.
        if (!d.complete) {
          for (const p of d.problems ?? []) values[p.field] = ''
          d = await window.go.app.RequestsService.SaveDraft(d.request.id, values)
        }
        if (!d.complete) throw new Error(`the draft from the examples is not complete: ${JSON.stringify(d.problems)}`)
        await window.go.app.RequestsService.Send(d.request.id)
        ids.push(d.request.id)
      }
      return ids
    })
    let tls = []
    for (let i = 0; i < 120; i++) {
      tls = await page.evaluate((ids) => Promise.all(ids.map((id) => window.go.app.RequestsService.Timeline(id))), ids)
      if (tls.every((tl) => tl.replies.some((r) => r.kind === 'response' || r.kind === 'reject'))) break
      await page.waitForTimeout(500)
    }
    const answered = tls.filter((tl) => tl.replies.some((r) => r.kind === 'response'))
    const tl = answered.find((tl) => tl.replies.some((r) => r.sections?.some((x) => x.columns?.length))) ?? answered[0]
    if (!tl) {
      console.log(`note: the training node refused the ЕГРИП requests (it refuses a share at random)`)
      return
    }
    const rep = tl.replies.find((r) => r.kind === 'response')
    const rowName = new RegExp(`^${tl.request.number || tl.request.id} `)
    expect(rep.sections?.length > 0, `the answer has no sections: ${JSON.stringify(rep.readable.slice(0, 3))}`)
    await page.keyboard.press('Alt+1')
    await page.getByRole('row', { name: rowName }).click()
    const reply = page.locator('article.reply', { hasText: 'Ответ со сведениями' }).locator('.sections')
    await reply.waitFor({ timeout: 10000 })
    let tables = 0
    for (const sec of rep.sections) {
      if (sec.columns?.length) {
        tables++
        const table = reply.locator('table', { has: page.locator('caption', { hasText: sec.title }) }).first()
        await table.waitFor()
        expect(await table.locator('thead th').count() === sec.columns.length, `table «${sec.title}»: columns`)
        expect(await table.locator('tbody tr').count() === Math.max(1, sec.rows?.length ?? 0), `table «${sec.title}»: rows`)
      } else {
        if (sec.title) await reply.locator('.title', { hasText: sec.title }).first().waitFor()
        for (const f of sec.fields.slice(0, 3)) await reply.locator('dt', { hasText: f.label }).first().waitFor()
      }
    }
    console.log(`note: the ЕГРИП answer shows ${rep.sections.length} section(s), ${tables} of them table(s)`)
    await page.screenshot({ path: join(out, 'answer-sections.png'), fullPage: true })
    const zoomed = await browser.newPage(SCALED_150)
    try {
      await zoomed.goto(base, { waitUntil: 'load' })
      await zoomed.getByRole('cell').first().waitFor({ timeout: 10000 })
      await zoomed.getByRole('row', { name: rowName }).click()
      await zoomed.locator('article.reply .sections').first().waitFor()
      const geo = await zoomed.evaluate(() => ({
        page: document.documentElement.scrollWidth - innerWidth,
        main: (() => { const m = document.querySelector('main'); return m.scrollWidth - m.clientWidth })(),
        boxes: [...document.querySelectorAll('article.reply .table-box')].map((b) => ({ right: b.getBoundingClientRect().right, scrolls: b.scrollWidth > b.clientWidth })),
        width: innerWidth,
      }))
      expect(geo.page <= 0 && geo.main <= 0, `the page is wider than the window at 150 %: ${JSON.stringify(geo)}`)
      expect(geo.boxes.every((b) => b.right <= geo.width + 0.5), `a table's box is cut off: ${JSON.stringify(geo.boxes)}`)
      await zoomed.locator(tables ? 'article.reply .table-box' : 'article.reply .sections').first().scrollIntoViewIfNeeded()
      await zoomed.screenshot({ path: join(out, 'answer-sections-150.png') })
    } finally {
      await zoomed.close()
    }
  })

  await step('an incoming request from another authority is answered, signed and sent', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Входящие' }).click()
    const row = page.getByRole('row', { name: /Поступил/ }).first()
    await row.waitFor({ timeout: 45000 })
    await row.click()
    await page.getByRole('heading', { name: 'Ответ на запрос' }).waitFor()
    await page.getByText('Что запрашивают').waitFor()
    // The answer card's form: a wrong answer is explained, a right one goes.
    await page.getByRole('button', { name: 'Подписать и отправить ответ…' }).click()
    await page.getByRole('button', { name: 'Да, отправить' }).click()
    const problem = page.locator('article.answer [role=alert]')
    await problem.waitFor()
    expect((await problem.innerText()).includes('Сведения похозяйственной книги'), 'the empty answer is not explained')
    await page.getByLabel('Результат поиска').selectOption('true')
    await page.getByLabel('Сведения похозяйственной книги').fill('Лицевой счёт № 112, похозяйственная книга № 3')
    await page.getByRole('button', { name: 'Подписать и отправить ответ…' }).click()
    await page.getByRole('button', { name: 'Да, отправить' }).click()
    await page.locator('.pill', { hasText: /Ответ в очереди|Ответ отправлен/ }).waitFor({ timeout: 20000 })
    await page.screenshot({ path: join(out, 'incoming-answered.png'), fullPage: true })
  })

  await step('our answer shows as «Ответ отправлен» with «Наш ответ», its signature check and printing; the history is in Russian', async () => {
    await page.locator('.pill', { hasText: 'Ответ отправлен' }).waitFor({ timeout: 30000 })
    const ours = page.locator('article.reply.ours')
    await ours.getByRole('heading', { name: /Наш ответ/ }).waitFor()
    await ours.getByText(/ЭП-СП/).first().waitFor()
    await ours.getByText('Лицевой счёт № 112, похозяйственная книга № 3').waitFor()
    await ours.getByRole('button', { name: 'Печать…' }).waitFor()
    const hist = await page.locator('ol.timeline').innerText()
    expect(!/outbox|smev/.test(hist) && hist.includes('Ответ отправлен'), `history: ${hist}`)
    // It prints for the paper file with the mark of our electronic signature.
    const printed = await page.evaluate(async () => {
      const list = await window.go.app.JournalService.List({ direction: 'in', statuses: ['answered'], limit: 5 })
      const tl = await window.go.app.RequestsService.Timeline(list.rows[0].id)
      return window.go.app.PrintService.Preview({ messageId: tl.ourAnswers[0].messageId })
    })
    expect(printed.title.startsWith('Наш ответ') && printed.preview.some((l) => l.startsWith('Отметка об электронной подписи')) && printed.images.length > 0,
      `printout: ${JSON.stringify({ title: printed.title, preview: printed.preview, notes: printed.notes })}`)
    await page.screenshot({ path: join(out, 'incoming-our-answer.png'), fullPage: true })
  })

  await step('a refusal through SMEV needs its explanation before signing and ends as «Отказ отправлен»', async () => {
    await page.getByRole('navigation').getByRole('button', { name: 'Входящие' }).click()
    const row = page.getByRole('row', { name: /Поступил/ }).first()
    await row.waitFor({ timeout: 45000 })
    await row.click()
    await page.getByRole('heading', { name: 'Ответ на запрос' }).waitFor()
    await page.getByLabel('Отказать').check()
    await page.getByRole('button', { name: 'Подписать и отправить ответ…' }).click()
    const alert = page.locator('article.answer [role=alert]')
    await alert.waitFor()
    expect((await alert.innerText()).includes('пояснение'), `alert: ${await alert.innerText()}`)
    expect(await page.getByRole('button', { name: 'Да, отправить' }).count() === 0, 'the confirmation opened without an explanation')
    await page.getByLabel(/^Пояснение/).fill('Хозяйство в похозяйственной книге не значится')
    await page.getByRole('button', { name: 'Подписать и отправить ответ…' }).click()
    await page.getByRole('button', { name: 'Да, отправить' }).click()
    await page.locator('.pill', { hasText: 'Отказ отправлен' }).waitFor({ timeout: 30000 })
    const ours = page.locator('article.reply.ours', { hasText: 'Наш отказ' })
    await ours.getByText('Причина отказа: Сведения не найдены').waitFor()
    await ours.getByText('Пояснение: Хозяйство в похозяйственной книге не значится').waitFor()
    await page.screenshot({ path: join(out, 'incoming-refused.png'), fullPage: true })
  })

  const ruDay = (d, short = false) =>
    short ? `${d.getDate()}.${d.getMonth() + 1}.${String(d.getFullYear()).slice(2)}`
      : `${String(d.getDate()).padStart(2, '0')}.${String(d.getMonth() + 1).padStart(2, '0')}.${d.getFullYear()}`

  await step('«Сроки» opens the request; an answer that came by post (number, date, scan) closes a paper request', async () => {
    await page.keyboard.press('Alt+3')
    await page.getByRole('button', { name: 'Зарегистрировать запрос по факсу или почте' }).click()
    await page.getByLabel('Как отправлен').selectOption('post')
    await page.getByLabel('Исходящий номер').fill('01-12/400')
    await page.getByLabel('Дата отправки').fill(ruDay(new Date(Date.now() - 40 * 86400000)))
    await page.getByLabel('Ведомство').fill('Социальный фонд России')
    await page.getByLabel('Какие сведения запрошены').fill('Справка о составе семьи')
    await page.getByRole('button', { name: 'Зарегистрировать', exact: true }).click()
    await page.locator('li.overdue', { hasText: 'Справка о составе семьи' }).getByRole('button').click()
    await page.getByRole('heading', { name: 'Справка о составе семьи' }).waitFor()
    await page.getByRole('button', { name: 'Записать полученный ответ…' }).click()
    const form = page.getByRole('form', { name: 'Ответ почтой или по факсу' })
    await form.getByLabel('Как получен').selectOption('post')
    await form.getByLabel('Номер письма').fill('СФР-77')
    await form.getByLabel('Дата письма').fill(ruDay(new Date(), true))
    await form.getByLabel(/Скан письма/).setInputFiles({ name: 'ответ СФР.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') })
    await form.getByRole('button', { name: 'Записать ответ' }).click()
    await page.locator('.pill', { hasText: 'Ответ получен' }).waitFor()
    await page.getByText(/Получен почтой, письмо № СФР-77 от \d\d\.\d\d\.\d{4}/).waitFor()
    await page.getByRole('button', { name: 'ответ СФР.pdf' }).waitFor()
    await page.screenshot({ path: join(out, 'paper-answer.png'), fullPage: true })
  })

  await step('an incoming request registered by hand is refused on paper: no PIN, the explanation required, «Отказ отправлен» and «Наш отказ»', async () => {
    await page.keyboard.press('Alt+3')
    await page.getByRole('button', { name: 'Зарегистрировать запрос по факсу или почте' }).click()
    await page.getByLabel('Направление').selectOption('in')
    await page.getByLabel('Как поступил').selectOption('fax')
    await page.getByLabel('Дата поступления').fill(ruDay(new Date()))
    await page.getByLabel('Кто запросил').fill('Социальный фонд России')
    await page.getByLabel('Какие сведения запрошены').fill('Выписка о составе хозяйства')
    await page.getByRole('button', { name: 'Зарегистрировать', exact: true }).click()
    await page.getByText(/зарегистрирован\. Ответить нужно до \d\d\.\d\d\.\d{4}/).waitFor()
    await page.getByRole('navigation').getByRole('button', { name: 'Входящие' }).click()
    await page.getByRole('row', { name: /Выписка о составе хозяйства/ }).click()
    await page.getByText('Входящий запрос от Социального фонда России').waitFor()
    expect(await page.getByRole('button', { name: 'Подписать и отправить ответ…' }).count() === 0, 'a request not from SMEV offers to answer through SMEV')
    await page.getByRole('button', { name: 'Записать отправленный ответ…' }).click()
    const form = page.getByRole('form', { name: 'Ответ почтой или по факсу' })
    await form.getByLabel('Отказано').check()
    await form.getByLabel('Как отправлен').selectOption('post')
    await form.getByLabel('Дата письма').fill(ruDay(new Date()))
    await form.getByRole('button', { name: 'Записать ответ' }).click()
    const alert = form.getByRole('alert')
    await alert.waitFor()
    expect((await alert.innerText()).includes('пояснение'), `alert: ${await alert.innerText()}`)
    await form.getByLabel(/^Пояснение/).fill('Хозяйство не значится в похозяйственной книге')
    await form.getByRole('button', { name: 'Записать ответ' }).click()
    await page.locator('.pill', { hasText: 'Отказ отправлен' }).waitFor()
    await page.locator('article.reply.ours', { hasText: 'Наш отказ' }).getByText(/Отправлен почтой/).waitFor()
    await page.screenshot({ path: join(out, 'incoming-paper-refusal.png'), fullPage: true })
  })

  await step('a request is withdrawn with its reason', async () => {
    await page.evaluate(async () => {
      const d = new Date()
      const day = `${String(d.getDate()).padStart(2, '0')}.${String(d.getMonth() + 1).padStart(2, '0')}.${d.getFullYear()}`
      await window.go.app.DeadlinesService.RegisterPaper({ direction: 'out', channel: 'fax', number: '01-12/401', sentOn: day,
        provider: 'Росреестр', subject: 'Выписка из ЕГРН о переходе прав', applicant: '', termDays: 0 })
    })
    await page.keyboard.press('Alt+1')
    await page.getByRole('row', { name: /Выписка из ЕГРН о переходе прав/ }).click()
    await page.getByRole('button', { name: 'Отозвать запрос…' }).click()
    await page.getByLabel('Почему запрос отозван').fill('заявитель забрал заявление')
    await page.getByRole('button', { name: 'Отозвать', exact: true }).click()
    await page.locator('.pill', { hasText: 'Отменён' }).waitFor()
    await page.locator('ol.timeline', { hasText: 'запрос отозван: заявитель забрал заявление' }).waitFor()
    await page.screenshot({ path: join(out, 'withdrawn.png') })
  })

  await step('Отчёты: the register of outgoing requests for the period is previewed for printing', async () => {
    await page.keyboard.press('Alt+5')
    await page.getByRole('heading', { name: 'Отчёты и реестры' }).waitFor()
    await page.getByRole('button', { name: 'Показать' }).click()
    const prev = page.getByLabel('Предпросмотр')
    await prev.getByText('Реестр исходящих запросов', { exact: true }).waitFor()
    await prev.getByText(/\d+ страниц[аы]? А4/).waitFor()
    await prev.getByRole('button', { name: 'Сохранить PDF…' }).waitFor()
    // The preview is the page itself.
    const img = prev.getByRole('img', { name: /^Страница 1 из/ })
    await img.waitFor()
    expect(await img.evaluate((e) => e.naturalWidth > 500 && e.naturalWidth > e.naturalHeight), 'the first page is not a landscape page image')
    await page.screenshot({ path: join(out, 'reports-preview.png'), fullPage: true })
    await page.getByLabel('Что напечатать').selectOption('quarterly')
    await page.getByRole('button', { name: 'Показать' }).click()
    await prev.getByText(/входящие: запрашивающих органов [1-9]/).waitFor()
    await prev.getByRole('img', { name: /^Страница 1 из/ }).waitFor()
    await page.getByLabel('С', { exact: true }).fill('01.01.2021')
    await page.getByLabel('по', { exact: true }).fill('31.03.2021')
    await page.getByRole('button', { name: 'Показать' }).click()
    await page.getByText('нет запросов для этого отчёта').waitFor()
    await page.screenshot({ path: join(out, 'reports.png') })
  })

  for (const [size, opts] of [['1024', PLAIN_1024], ['150', SCALED_150]]) {
    await step(`layout at ${size === '1024' ? '1024×768' : '150 % on 1024×768 (683×512)'}: the journal's last column, the form's first field and the answer are visible, the notification covers none of them`, async () => {
      const p = await browser.newPage(opts)
      try {
        await p.goto(base, { waitUntil: 'load' })
        await p.getByRole('heading', { name: 'Исходящие запросы' }).waitFor({ timeout: 10000 })
        await p.getByRole('cell').first().waitFor({ timeout: 10000 })
        await toastUp(p)
        const wide = await p.evaluate(() => ({ page: document.documentElement.scrollWidth - innerWidth,
          table: (() => { const b = document.querySelector('main .table-box'); return b ? b.scrollWidth - b.clientWidth : 0 })() }))
        expect(wide.page <= 0 && wide.table <= 0, `the journal is wider than the window: ${JSON.stringify(wide)}`)
        await shown(p, 'main table thead th:last-child', 'the heading of the journal\'s last column')
        await shown(p, 'main table tbody tr:first-child td:last-child', 'the last column of the first row')
        await p.screenshot({ path: join(out, `layout-journal-${size}.png`) })
        await shown(p, 'main table tbody tr:last-child td:last-child', 'the last column of the last row', 'bottom')
        await shown(p, 'main table tbody tr:last-child td:first-child', 'the first column of the last row')
        await p.screenshot({ path: join(out, `layout-journal-end-${size}.png`) })

        // Shortcuts in the order of the menu; no section is wider than the window.
        const keys = await p.evaluate(() => [...document.querySelectorAll('nav li button')].map((b) => b.getAttribute('title')))
        expect(keys.join() === 'Alt+1,Alt+2,Alt+3,Alt+4,Alt+5,Alt+6', `shortcuts: ${keys}`)
        const headings = ['Исходящие запросы', 'Входящие запросы', /^Сроки/, 'Шаблоны запросов', 'Отчёты и реестры', 'Настройки']
        for (const [i, name] of headings.entries()) {
          await p.keyboard.press(`Alt+${i + 1}`)
          await p.getByRole('heading', { name }).first().waitFor()
          await p.waitForTimeout(300)
          const wider = await p.evaluate(() => {
            const m = document.querySelector('main')
            return { page: document.documentElement.scrollWidth - innerWidth, main: m.scrollWidth - m.clientWidth }
          })
          expect(wider.page <= 0 && wider.main <= 0, `Alt+${i + 1} (${name}) is wider than the window: ${JSON.stringify(wider)}`)
          const current = await p.evaluate(() => document.querySelector('nav [aria-current=page]')?.getAttribute('title'))
          expect(current === `Alt+${i + 1}`, `Alt+${i + 1} opened the section of ${current}`)
          if (size === '150') await p.screenshot({ path: join(out, `layout-section-${i + 1}-150.png`) })
        }

        // A new request: its form's first field, under the training banner and over the status bar.
        await p.keyboard.press('Alt+4')
        await p.getByPlaceholder('Поиск: вид сведений').fill('СНИЛС проверка')
        await p.locator('li', { hasText: 'Проверка соответствия СНИЛС' }).getByRole('button', { name: 'Создать запрос' }).click()
        await p.locator('form.form .field').first().waitFor()
        await toastUp(p)
        await shown(p, 'form.form .field:first-child :is(input, select)', 'the form\'s first field')
        await shown(p, 'form.form .field:first-child label', 'the label of the form\'s first field')
        // The keyboard starts at the field and types into it.
        await p.locator('form.form .field:first-child :is(input, select)').focus()
        expect(await p.evaluate(() => document.activeElement?.closest('.field') === document.querySelector('form.form .field')), 'the first field does not take the keyboard')
        await p.screenshot({ path: join(out, `layout-compose-${size}.png`) })
        await p.getByRole('button', { name: '← К журналу' }).click()

        // A complete draft: the sign dialog fits the window and takes the keyboard; Escape closes it.
        const draft = await p.evaluate(async () => {
          const card = await window.go.app.TemplatesService.Get('sfr-snils-check')
          const d = await window.go.app.RequestsService.CreateDraft('sfr-snils-check', 0, '', Object.fromEntries(card.fields.map((f) => [f.name, f.example])))
          return { id: d.request.id, complete: d.complete }
        })
        expect(draft.complete, 'the draft from the examples is not complete')
        await p.keyboard.press('Alt+1')
        await p.getByRole('row', { name: new RegExp(`^${draft.id} `) }).click()
        await p.getByRole('button', { name: 'Подписать и отправить…' }).click()
        const dialog = p.getByRole('dialog').first()
        await dialog.waitFor()
        const fit = await dialog.evaluate((d) => {
          const b = d.getBoundingClientRect()
          return { inside: b.left >= 0 && b.top >= 0 && b.right <= innerWidth && b.bottom <= innerHeight, focus: !!document.activeElement?.closest('[role=dialog]') }
        })
        expect(fit.inside && fit.focus, `the sign dialog: ${JSON.stringify(fit)}`)
        await p.screenshot({ path: join(out, `layout-sign-dialog-${size}.png`) })
        await p.keyboard.press('Escape')
        await p.getByRole('dialog').first().waitFor({ state: 'detached' })
        await p.evaluate((id) => window.go.app.RequestsService.DeleteDraft(id), draft.id)
        await p.getByRole('button', { name: '← К журналу' }).click()

        // An answered request: the answer and its signature check, beside the notification.
        await p.getByRole('heading', { name: 'Исходящие запросы' }).waitFor()
        await p.getByRole('row', { name: /Проверка соответствия СНИЛС.*(Ответ получен|Отказ)/ }).first().click()
        await p.locator('article.reply').first().waitFor()
        await toastUp(p)
        await shown(p, 'article.reply h2', 'the answer\'s heading', 'into')
        await shown(p, 'article.reply .sig', 'the answer\'s signature check', 'into')
        const wider = await p.evaluate(() => document.documentElement.scrollWidth - innerWidth)
        expect(wider <= 0, `the request page is ${wider} px wider than the window`)
        await p.screenshot({ path: join(out, `layout-answer-${size}.png`) })
        await shown(p, 'article.reply :is(.sections, dl)', 'the answer\'s data', 'into')
        await p.screenshot({ path: join(out, `layout-answer-data-${size}.png`) })
      } catch (e) {
        await p.screenshot({ path: join(out, `FAILED-layout-${size}.png`) }).catch(() => {})
        throw e
      } finally {
        await p.close()
      }
    })
  }

  await step('readable at 150 % scaling: nothing is cut off sideways', async () => {
    const zoomed = await browser.newPage(SCALED_150)
    try {
      await zoomed.goto(base, { waitUntil: 'load' })
      await zoomed.getByRole('heading', { name: 'Исходящие запросы' }).waitFor({ timeout: 10000 })
      await zoomed.getByRole('cell').first().waitFor({ timeout: 10000 })
      // The window that opens with an overdue request says so.
      await zoomed.locator('.toast', { hasText: 'просрочено: 1' }).waitFor({ timeout: 5000 })
      const overflow = await zoomed.evaluate(() => {
        const main = document.querySelector('main')
        return { page: document.documentElement.scrollWidth - window.innerWidth, main: main ? main.scrollWidth - main.clientWidth : 0 }
      })
      await zoomed.screenshot({ path: join(out, 'journal-150.png') })
      expect(overflow.page <= 0 && overflow.main <= 0, `content wider than the window: ${JSON.stringify(overflow)}`)
    } finally {
      await zoomed.close()
    }
  })

  await step('notifications at 150 %: one toast sums them up and never covers the journal; the list opens and closes by keyboard', async () => {
    const zoomed = await browser.newPage(SCALED_150)
    try {
      await zoomed.goto(base, { waitUntil: 'load' })
      await zoomed.getByRole('heading', { name: 'Исходящие запросы' }).waitFor({ timeout: 10000 })
      await zoomed.getByRole('cell').first().waitFor({ timeout: 10000 })
      await zoomed.locator('.toast.shown', { hasText: 'просрочено: 1' }).waitFor({ timeout: 5000 })
      // Two more notifications while the toast is shown: still one toast, which sums them up.
      await zoomed.evaluate(async () => {
        await window.go.app.DeadlinesService.Remind()
        await window.go.app.DeadlinesService.Remind()
      })
      const summary = zoomed.locator('.toast.shown', { hasText: /\d+ новых событи[яй]/ })
      await summary.waitFor({ timeout: 5000 })
      const heading = await summary.locator('strong').first().innerText()
      const n = Number(/(\d+) новых событи/.exec(heading)?.[1] ?? 0)
      expect(n >= 3, `the toast says «${heading}»`)
      const geo = await zoomed.evaluate(() => {
        const box = (e) => {
          const r = e.getBoundingClientRect()
          return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }
        }
        const main = box(document.querySelector('main'))
        // The visible part of each journal row: the part inside the scrolled page.
        const rows = [...document.querySelectorAll('main table tr')].map(box)
          .map((r) => ({ left: Math.max(r.left, main.left), top: Math.max(r.top, main.top),
            right: Math.min(r.right, main.right), bottom: Math.min(r.bottom, main.bottom) }))
          .filter((r) => r.right > r.left && r.bottom > r.top)
        return { toasts: [...document.querySelectorAll('.toast.shown')].map(box), rows, main,
          footer: box(document.querySelector('footer')), width: window.innerWidth, height: window.innerHeight }
      })
      await zoomed.screenshot({ path: join(out, 'notifications-150.png') })
      expect(geo.toasts.length === 1, `${geo.toasts.length} toasts on the screen`)
      expect(geo.rows.length > 0, 'no journal rows are visible')
      const t = geo.toasts[0]
      const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom
      const covered = geo.rows.filter((r) => meets(t, r))
      expect(covered.length === 0, `the toast ${JSON.stringify(t)} covers journal rows: ${JSON.stringify(covered)}`)
      expect(!meets(t, geo.main), `the toast ${JSON.stringify(t)} lies over the page ${JSON.stringify(geo.main)}`)
      expect(t.left >= 0 && t.right <= geo.width && t.top >= 0 && t.bottom <= geo.footer.top + 0.5,
        `the toast ${JSON.stringify(t)} is cut off or covers the status bar ${JSON.stringify(geo.footer)}`)

      // The status bar's button counts them and opens the list; Escape closes it, focus comes back.
      const bell = zoomed.locator('footer').getByRole('button', { name: /^Уведомления/ })
      const count = Number(/\d+/.exec(await bell.innerText())?.[0] ?? 0)
      expect(count >= 3, `the button says «${await bell.innerText()}»`)
      await bell.focus()
      await zoomed.keyboard.press('Enter')
      const list = zoomed.getByRole('dialog', { name: 'Уведомления' })
      await list.waitFor()
      expect(await zoomed.evaluate(() => !!document.activeElement?.closest('[role=dialog]')), 'focus is not in the list')
      const items = await list.locator('li').count()
      expect(items >= 3, `${items} notifications in the list`)
      await list.locator('li', { hasText: 'просрочено: 1' }).first().waitFor()
      const lb = await list.boundingBox()
      expect(lb && lb.y >= 0 && lb.x >= 0 && lb.x + lb.width <= geo.width, `the list is cut off: ${JSON.stringify(lb)}`)
      expect(await zoomed.locator('.toast.shown').count() === 0, 'the toast stays while the list is open')
      await zoomed.screenshot({ path: join(out, 'notifications-list-150.png') })
      await zoomed.keyboard.press('Escape')
      await list.waitFor({ state: 'detached' })
      const back = await zoomed.evaluate(() => document.activeElement?.id)
      expect(back === 'notices-button', `focus went to «${back}», not back to the button`)
      expect(!/\d/.test(await bell.innerText()), 'the button still counts notifications the clerk has seen')

      // A new notification is a toast of its own; the clerk closes it.
      await zoomed.evaluate(() => window.go.app.DeadlinesService.Remind())
      const one = zoomed.locator('.toast.shown', { hasText: 'просрочено: 1' })
      await one.waitFor({ timeout: 5000 })
      await one.getByRole('button', { name: 'Закрыть уведомление' }).click()
      await one.waitFor({ state: 'detached' })
    } finally {
      await zoomed.close()
    }
  })

  await step('every screen is in Russian: no Latin words outside the allow-list, no ISO dates', async () => {
    expect(russianProblems.length === 0, russianProblems.join('\n'))
  })

  await step('no script errors', async () => {
    expect(consoleErrors.length === 0, consoleErrors.join('\n'))
  })
} finally {
  await browser.close()
}

console.log(`${passes} passed, ${failures} failed`)
process.exit(failures === 0 ? 0 : 1)
