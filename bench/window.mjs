// Window benchmark (issue 6): with a journal of 1,000,000 requests,
//  - time from starting the binary to the first painted journal rows,
//  - time of filtering and paging actions in the journal view,
// measured through the dev-tagged binary (the real frontend and Go core)
// in Debian's Chromium. Usage: node bench/window.mjs DATA_DIR
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import net from 'node:net'

const require = createRequire(new URL('../frontend/package.json', import.meta.url))
const { chromium } = require('playwright-core')
const dataDir = process.argv[2]
if (!dataDir) throw new Error('usage: node bench/window.mjs DATA_DIR')

const port = await new Promise((res) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port
    s.close(() => res(p))
  })
})
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
})
const page = await browser.newPage({ viewport: { width: 1280, height: 820 } })

const t0 = performance.now()
const bin = spawn('xvfb-run', ['-a', './build/bin/mezhved-dev', '-devserver', `localhost:${port}`], {
  env: { ...process.env, MEZHVED_DATA_DIR: dataDir },
  stdio: 'ignore',
  detached: true,
})
let result = {}
try {
  for (;;) {
    try {
      await page.goto(`http://localhost:${port}/`, { waitUntil: 'commit', timeout: 2000 })
      break
    } catch {
      if (performance.now() - t0 > 30000) throw new Error('the binary did not come up')
      await new Promise((r) => setTimeout(r, 25))
    }
  }
  await page.locator('tbody tr').first().waitFor({ timeout: 30000 })
  result.firstPaintMs = Math.round(performance.now() - t0)

  // Each action's own time: from the request to the core until the rows are
  // painted (the view records it in data-load-ms; the search box's 200 ms
  // typing pause is not counted).
  const section = page.locator('section[data-load-ms]')
  const action = async (name, fn) => {
    const times = []
    for (let i = 0; i < 5; i++) {
      const before = Number(await section.getAttribute('data-loads'))
      await fn(i)
      await page.waitForFunction((n) => Number(document.querySelector('section[data-loads]')?.getAttribute('data-loads')) > n, before)
      times.push(Number(await section.getAttribute('data-load-ms')))
    }
    times.sort((a, b) => a - b)
    result[name] = times[2]
  }
  await action('filterStatusMs', async (i) => {
    await page.getByLabel('Статус').selectOption(i % 2 ? 'answered' : 'work')
  })
  await page.getByLabel('Статус').selectOption('')
  await action('searchMs', async (i) => {
    const q = ['петров3 анна', 'иванов7 мария', 'смирнов1 олег', 'козлов5 иван', 'росреестр фёдоров2'][i]
    await page.getByPlaceholder(/Поиск: заявитель/).fill(q)
  })
  await page.getByPlaceholder(/Поиск: заявитель/).fill('')
  if (await page.getByRole('button', { name: 'Дальше' }).isEnabled()) {
    await action('nextPageMs', async () => {
      await page.getByRole('button', { name: 'Дальше' }).click()
    })
  }
} finally {
  await browser.close()
  try { process.kill(-bin.pid, 'SIGKILL') } catch {}
}
console.log(JSON.stringify(result))
