import { describe, expect, it } from 'vitest'
import { dismissToast, emptyFeed, eventsSummary, markRead, noticeTime, receive, toastText, unread, type Notice } from './notices'

function notice(id: number, title = `Заголовок ${id}`, body = `Текст ${id}`): Notice {
  return { id, title, body, at: new Date(2026, 10, 22, 14, id) }
}

describe('eventsSummary', () => {
  it('agrees the number with «новое событие» the Russian way', () => {
    expect(eventsSummary(1)).toBe('1 новое событие')
    expect(eventsSummary(2)).toBe('2 новых события')
    expect(eventsSummary(3)).toBe('3 новых события')
    expect(eventsSummary(4)).toBe('4 новых события')
    expect(eventsSummary(5)).toBe('5 новых событий')
    expect(eventsSummary(10)).toBe('10 новых событий')
    for (const n of [11, 12, 13, 14, 111, 112, 114]) expect(eventsSummary(n)).toBe(`${n} новых событий`)
    expect(eventsSummary(21)).toBe('21 новое событие')
    expect(eventsSummary(22)).toBe('22 новых события')
    expect(eventsSummary(25)).toBe('25 новых событий')
    expect(eventsSummary(101)).toBe('101 новое событие')
    expect(eventsSummary(0)).toBe('0 новых событий')
  })
})

describe('the feed', () => {
  it('shows one notification as itself', () => {
    const f = receive(emptyFeed(), notice(1, 'Межвед: сроки запросов', 'просрочено: 1. Откройте раздел «Сроки».'))
    expect(f.toast?.count).toBe(1)
    expect(toastText(f.toast!)).toEqual({ heading: 'Межвед: сроки запросов', detail: 'просрочено: 1. Откройте раздел «Сроки».' })
    expect(unread(f)).toBe(1)
  })

  it('sums up notifications that come while the toast is shown, in one toast', () => {
    let f = emptyFeed()
    for (const i of [1, 2, 3]) f = receive(f, notice(i))
    expect(f.toast?.count).toBe(3)
    expect(f.toast?.latest.id).toBe(3)
    expect(toastText(f.toast!)).toEqual({ heading: '3 новых события', detail: 'Последнее: Заголовок 3 — Текст 3' })
    expect(f.items.map((n) => n.id)).toEqual([3, 2, 1])
    expect(unread(f)).toBe(3)
  })

  it('starts a new count after the toast is closed; the list keeps everything', () => {
    let f = receive(receive(emptyFeed(), notice(1)), notice(2))
    f = dismissToast(f)
    expect(f.toast).toBeNull()
    expect(unread(f)).toBe(2)
    f = receive(f, notice(3))
    expect(f.toast?.count).toBe(1)
    expect(toastText(f.toast!).heading).toBe('Заголовок 3')
    expect(f.items).toHaveLength(3)
    expect(unread(f)).toBe(3)
  })

  it('opening the list marks everything seen and closes the toast', () => {
    let f = markRead(receive(receive(emptyFeed(), notice(1)), notice(2)))
    expect(unread(f)).toBe(0)
    expect(f.toast).toBeNull()
    f = receive(f, notice(3))
    expect(unread(f)).toBe(1)
    expect(markRead(emptyFeed())).toEqual(emptyFeed())
  })

  it('keeps only the recent notifications', () => {
    let f = emptyFeed()
    for (let i = 1; i <= 8; i++) f = receive(f, notice(i), 5)
    expect(f.items.map((n) => n.id)).toEqual([8, 7, 6, 5, 4])
    expect(toastText(f.toast!).heading).toBe('8 новых событий')
  })

  it('copes with a notification without a title or text', () => {
    expect(toastText({ count: 1, latest: notice(1, '', '') })).toEqual({ heading: 'Новое событие', detail: '' })
    expect(toastText({ count: 2, latest: notice(2, '', 'Текст') })).toEqual({ heading: '2 новых события', detail: 'Последнее: Текст' })
  })
})

describe('noticeTime', () => {
  const now = new Date(2026, 10, 22, 15, 30)
  it('gives the time today, «вчера» yesterday, the date before', () => {
    expect(noticeTime(new Date(2026, 10, 22, 9, 5), now)).toBe('09:05')
    expect(noticeTime(new Date(2026, 10, 21, 23, 59), now)).toBe('вчера, 23:59')
    expect(noticeTime(new Date(2026, 10, 20, 8, 0), now)).toBe('20.11.2026, 08:00')
    expect(noticeTime(new Date(2026, 11, 31, 18, 0), new Date(2027, 0, 1, 9, 0))).toBe('вчера, 18:00')
  })
})
