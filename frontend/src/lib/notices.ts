// The window's notifications: one toast that sums up what came while it was
// shown, and a list of recent notifications the clerk opens from the status
// bar. Pure functions over plain data, so the rules are tested without a
// window.

import { plural } from './format'

export interface Notice {
  id: number
  title: string
  body: string
  at: Date
}

export interface Feed {
  /** Recent notifications, newest first, at most KEEP. */
  items: Notice[]
  /** Notifications with an id up to this one have been seen in the list. */
  readUpTo: number
  /** The toast: how many notifications it stands for and the latest one. */
  toast: { count: number; latest: Notice } | null
}

/** How many notifications the list keeps. */
export const KEEP = 50

export function emptyFeed(): Feed {
  return { items: [], readUpTo: 0, toast: null }
}

/** A new notification: it heads the list and joins the toast, if one is shown. */
export function receive(feed: Feed, n: Notice, keep = KEEP): Feed {
  return {
    items: [n, ...feed.items].slice(0, keep),
    readUpTo: feed.readUpTo,
    toast: { count: (feed.toast?.count ?? 0) + 1, latest: n },
  }
}

/** The toast goes away (closed, or its time is up); the list keeps everything. */
export function dismissToast(feed: Feed): Feed {
  return feed.toast ? { ...feed, toast: null } : feed
}

/** The clerk opened the list: everything in it is seen, the toast is not needed. */
export function markRead(feed: Feed): Feed {
  return { items: feed.items, readUpTo: feed.items[0]?.id ?? feed.readUpTo, toast: null }
}

/** How many notifications in the list the clerk has not seen yet. */
export function unread(feed: Feed): number {
  return feed.items.filter((n) => n.id > feed.readUpTo).length
}

/** «1 новое событие», «3 новых события», «5 новых событий», «21 новое событие». */
export function eventsSummary(n: number): string {
  return `${n} ${plural(n, ['новое событие', 'новых события', 'новых событий'])}`
}

/** What the toast says: the notification itself, or a summary with the latest one. */
export function toastText(t: { count: number; latest: Notice }): { heading: string; detail: string } {
  const body = t.latest.body.trim()
  const title = t.latest.title.trim()
  if (t.count <= 1) return { heading: title || 'Новое событие', detail: body }
  const last = [title, body].filter(Boolean).join(' — ')
  return { heading: eventsSummary(t.count), detail: last ? `Последнее: ${last}` : '' }
}

function hhmm(d: Date): string {
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate()
}

/** When a notification came, for the list: «14:05», «вчера, 14:05», «21.11.2026, 14:05». */
export function noticeTime(at: Date, now = new Date()): string {
  if (sameDay(at, now)) return hhmm(at)
  const y = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1)
  if (sameDay(at, y)) return `вчера, ${hhmm(at)}`
  const dd = String(at.getDate()).padStart(2, '0')
  const mm = String(at.getMonth() + 1).padStart(2, '0')
  return `${dd}.${mm}.${at.getFullYear()}, ${hhmm(at)}`
}
