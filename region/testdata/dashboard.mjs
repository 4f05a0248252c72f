// The regional dashboard in headless Chromium (playwright-core from the
// frontend's node_modules): sign in, read the page, keep screenshots.
//
// Usage: node dashboard.mjs <base URL> <out dir> <frontend dir>
// Prints one JSON line with what the page shows; exit 1 on a failure.
import { createRequire } from 'node:module'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

const [base, out, frontend] = process.argv.slice(2)
const require = createRequire(join(resolve(frontend), 'package.json'))
const { chromium } = require('playwright-core')
mkdirSync(out, { recursive: true })

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
const errors = []
try {
  const ctx = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1024, height: 768 }, locale: 'ru-RU' })
  const page = await ctx.newPage()
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.goto(base + '/')
  await page.screenshot({ path: join(out, 'login.png') })
  await page.fill('#login', 'analyst')
  await page.fill('#password', 'неверный')
  await page.click('button[type=submit]')
  const wrong = await page.textContent('.error')
  errors.length = 0 // the refused login's 401 is expected
  await page.fill('#password', 'верный-пароль-2026')
  await page.click('button[type=submit]')
  await page.waitForSelector('#settlements')
  await page.screenshot({ path: join(out, 'dashboard.png'), fullPage: true })
  const rows = await page.$$eval('#settlements tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())))
  const ranking = await page.$$eval('#settlements tbody tr', (trs) => trs.map((tr) => tr.cells[1].querySelector('a').textContent.trim()))
  const months = await page.$$eval('#trend tbody tr', (trs) => trs.length)
  const bars = await page.$$eval('svg.chart rect.sent', (rs) => rs.map((r) => r.getBoundingClientRect().height))
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)
  // Every table cell's text fits its cell.
  const clipped = await page.$$eval('table.grid td, table.grid th', (cs) => cs.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent.trim()))
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')])
  const csvName = download.suggestedFilename()
  console.log(JSON.stringify({ wrong, rows, ranking, months, bars, overflow, clipped, csvName, errors }))
} catch (e) {
  console.error(String(e?.stack ?? e))
  process.exitCode = 1
} finally {
  await browser.close()
}
