// What the window remembers for this session: the certificate of the key
// the clerk opened and which key it was (the key itself stays in the Go
// core; the PIN nowhere).
import type { CertView } from './api'

export const session = $state<{ cert: CertView | null; training: boolean; keyId: string }>({ cert: null, training: false, keyId: '' })
