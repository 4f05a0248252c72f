// Dates and numbers the way a Russian clerk reads them.

const MONTHS = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря']

/** "2026-11-22" → "22.11.2026"; "" → "—". */
export function shortDate(iso?: string): string {
  if (!iso) return '—'
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso)
  return m ? `${m[3]}.${m[2]}.${m[1]}` : '—'
}

/** "2026-11-22" → "22 ноября 2026 г." */
export function longDate(iso?: string): string {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})/.exec(iso) : null
  if (!m) return '—'
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]} г.`
}

/** Russian plural: plural(5, ['день', 'дня', 'дней']) → "дней". */
export function plural(n: number, forms: [string, string, string]): string {
  const a = Math.abs(n) % 100
  const b = a % 10
  if (a > 10 && a < 20) return forms[2]
  if (b > 1 && b < 5) return forms[1]
  if (b === 1) return forms[0]
  return forms[2]
}

export type Urgency = 'none' | 'ok' | 'soon' | 'today' | 'overdue'

/** How urgent a deadline is, compared by calendar dates (YYYY-MM-DD). */
export function urgency(dueOn: string | undefined, today: string, open: boolean): Urgency {
  if (!dueOn || !open) return 'none'
  if (dueOn < today) return 'overdue'
  if (dueOn === today) return 'today'
  const t = new Date(today + 'T00:00:00Z')
  t.setUTCDate(t.getUTCDate() + 1)
  if (dueOn === t.toISOString().slice(0, 10)) return 'soon'
  return 'ok'
}

export const URGENCY_TITLES: Record<Urgency, string> = {
  none: '',
  ok: 'в срок',
  soon: 'срок завтра',
  today: 'срок сегодня',
  overdue: 'просрочен',
}

const OPEN_DONE = new Set(['answered', 'rejected', 'cancelled'])

export function isOpen(status: string): boolean {
  return !OPEN_DONE.has(status)
}

/** Today's civil date on this workstation. */
export function todayISO(now = new Date()): string {
  const y = now.getFullYear()
  const m = String(now.getMonth() + 1).padStart(2, '0')
  const d = String(now.getDate()).padStart(2, '0')
  return `${y}-${m}-${d}`
}

/** One line about the sync with the region, for the status bar. */
export function syncLine(s: {
  enrolled: boolean
  running: boolean
  unreachable: boolean
  waiting: number
  lastSync?: string
  progress: { sent: number; total: number }
}, now = new Date()): string {
  if (!s.enrolled) return 'Регион: не подключено'
  if (s.running) return `Регион: отправка ${s.progress.sent} из ${s.progress.total}…`
  if (s.unreachable) return `Регион недоступен — работа идёт без связи${s.waiting ? `, ждут отправки: ${s.waiting}` : ''}`
  const last = s.lastSync ? new Date(s.lastSync) : null
  if (!last || isNaN(last.getTime())) return `Регион: ещё не синхронизировано${s.waiting ? `, ждут отправки: ${s.waiting}` : ''}`
  let when = ''
  {
    const min = Math.round((now.getTime() - last.getTime()) / 60000)
    when = min < 1 ? 'только что' : min < 60 ? `${min} ${plural(min, ['минуту', 'минуты', 'минут'])} назад` : `${shortDate(last.toISOString())} ${last.toTimeString().slice(0, 5)}`
  }
  return `Регион: синхронизировано ${when}${s.waiting ? `, ждут отправки: ${s.waiting}` : ''}`
}

// pagerLine is the journal's «Показаны …» line. A search by common words
// is not counted: its total is a lower bound (the rows up to this page's
// end and one more), shown as «из более чем N».
export function pagerLine(offset: number, shown: number, total: number, atLeast: boolean): string {
  const range = `Показаны ${offset + 1}–${offset + shown}`
  return atLeast ? `${range} из более чем ${total - 1}` : `${range} из ${total}`
}
