import { describe, expect, it } from 'vitest'
import { longDate, pagerLine, plural, shortDate, syncLine, todayISO, urgency } from './format'

describe('dates', () => {
  it('formats short and long Russian dates', () => {
    expect(shortDate('2026-11-22')).toBe('22.11.2026')
    expect(shortDate('2026-03-01T10:00:00Z')).toBe('01.03.2026')
    expect(shortDate('')).toBe('—')
    expect(shortDate('вчера')).toBe('—')
    expect(longDate('2026-05-09')).toBe('9 мая 2026 г.')
    expect(longDate(undefined)).toBe('—')
  })
  it('gives today as a local civil date', () => {
    expect(todayISO(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05')
  })
})

describe('plural', () => {
  it('chooses Russian plural forms', () => {
    const f: [string, string, string] = ['день', 'дня', 'дней']
    expect([0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111].map((n) => plural(n, f))).toEqual([
      'дней', 'день', 'дня', 'дня', 'дней', 'дней', 'дней', 'дней', 'день', 'дня', 'дней', 'день', 'дней',
    ])
  })
})

describe('urgency', () => {
  it('ranks deadlines against today', () => {
    expect(urgency('2026-11-21', '2026-11-22', true)).toBe('overdue')
    expect(urgency('2026-11-22', '2026-11-22', true)).toBe('today')
    expect(urgency('2026-11-23', '2026-11-22', true)).toBe('soon')
    expect(urgency('2026-12-31', '2026-12-30', true)).toBe('soon')
    expect(urgency('2027-01-01', '2026-12-30', true)).toBe('ok')
    expect(urgency('2026-11-01', '2026-11-22', false)).toBe('none')
    expect(urgency(undefined, '2026-11-22', true)).toBe('none')
  })
})

describe('syncLine', () => {
  const base = { enrolled: true, running: false, unreachable: false, waiting: 0, progress: { sent: 0, total: 0 } }
  const now = new Date('2026-11-22T12:00:00Z')
  it('says what the clerk needs to know', () => {
    expect(syncLine({ ...base, enrolled: false }, now)).toBe('Регион: не подключено')
    expect(syncLine({ ...base, running: true, progress: { sent: 20, total: 35 } }, now)).toBe('Регион: отправка 20 из 35…')
    expect(syncLine({ ...base, unreachable: true, waiting: 3 }, now)).toBe('Регион недоступен — работа идёт без связи, ждут отправки: 3')
    expect(syncLine({ ...base, lastSync: '2026-11-22T11:55:00Z' }, now)).toBe('Регион: синхронизировано 5 минут назад')
    expect(syncLine({ ...base, lastSync: '2026-11-22T11:59:50Z', waiting: 2 }, now)).toBe('Регион: синхронизировано только что, ждут отправки: 2')
    expect(syncLine(base, now)).toBe('Регион: ещё не синхронизировано')
  })
})

describe('pagerLine', () => {
  it('counts a page of a counted list', () => {
    expect(pagerLine(0, 50, 390, false)).toBe('Показаны 1–50 из 390')
    expect(pagerLine(350, 40, 390, false)).toBe('Показаны 351–390 из 390')
  })
  it('says «более чем» for a search by common words', () => {
    expect(pagerLine(0, 50, 51, true)).toBe('Показаны 1–50 из более чем 50')
    expect(pagerLine(50, 50, 101, true)).toBe('Показаны 51–100 из более чем 100')
  })
})
