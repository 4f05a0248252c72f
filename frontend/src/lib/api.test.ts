import { describe, expect, it } from 'vitest'
import { failure, INTERNAL, journal, NO_BRIDGE, sync } from './api'

describe('the bridge', () => {
  it('reads the code and the message of a failed bound method', () => {
    const r = failure('{"code":"invalid","message":"Укажите ОКТМО."}')
    expect(r).toEqual({ ok: false, code: 'invalid', message: 'Укажите ОКТМО.' })
    expect(failure(new Error('{"code":"conflict","message":"Уже отправлен."}')).code).toBe('conflict')
  })
  it('never shows a raw error to the clerk', () => {
    for (const e of ['boom', '{"code":1}', undefined, new Error('x')]) {
      expect(failure(e)).toEqual({ ok: false, code: 'internal', message: INTERNAL })
    }
  })
  it('says plainly when there is no bridge', async () => {
    expect(await journal.summary()).toEqual({ ok: false, code: 'unavailable', message: NO_BRIDGE })
  })
  it('calls the generated binding and wraps its value or its rejection', async () => {
    const g = globalThis as unknown as { window?: Window }
    g.window ??= globalThis as unknown as Window
    const seen: unknown[] = []
    window.go = {
      app: {
        SyncService: { SetPersonal: async (on: unknown) => (seen.push(on), on) },
        JournalService: { Summary: async () => Promise.reject('{"code":"notfound","message":"Нет журнала."}') },
      },
    }
    expect(await sync.setPersonal(true)).toEqual({ ok: true, data: true })
    expect(seen).toEqual([true])
    expect(await journal.summary()).toEqual({ ok: false, code: 'notfound', message: 'Нет журнала.' })
    delete window.go
  })
})
