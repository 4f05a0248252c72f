// The window's notifications for this session: the feed (see notices.ts),
// whether the list is open, and the toast's timer. The toast stays while the
// pointer is over it or the keyboard is in it.
import { dismissToast, emptyFeed, markRead, receive, type Feed } from './notices'

/** How long the toast stays after its last update. */
export const TOAST_MS = 8000

export const notices = $state<{ feed: Feed; open: boolean; newAfter: number }>({
  feed: emptyFeed(),
  open: false,
  newAfter: 0, // notifications after this id are marked new in the open list
})

let seq = 0
let timer: ReturnType<typeof setTimeout> | undefined
const held = { pointer: false, focus: false }

function schedule() {
  clearTimeout(timer)
  timer = undefined
  if (notices.feed.toast && !held.pointer && !held.focus) {
    timer = setTimeout(() => (notices.feed = dismissToast(notices.feed)), TOAST_MS)
  }
}

/** A notification from the core. */
export function notify(title: string, body: string) {
  notices.feed = receive(notices.feed, { id: ++seq, title, body, at: new Date() })
  if (notices.open) {
    // The open list shows it already (and announces it): no toast over it.
    notices.feed = markRead(notices.feed)
    return
  }
  schedule()
}

/** The pointer or the keyboard is on the toast (true) or has left it (false). */
export function holdToast(by: 'pointer' | 'focus', on: boolean) {
  held[by] = on
  schedule()
}

export function closeToast() {
  held.pointer = held.focus = false
  clearTimeout(timer)
  notices.feed = dismissToast(notices.feed)
}

export function openList() {
  closeToast()
  notices.newAfter = notices.feed.readUpTo
  notices.feed = markRead(notices.feed)
  notices.open = true
}

export function closeList() {
  notices.open = false
}

/** The status bar's button that opens the list: focus comes back to it. */
export const LIST_BUTTON_ID = 'notices-button'

export function focusListButton() {
  document.getElementById(LIST_BUTTON_ID)?.focus()
}
