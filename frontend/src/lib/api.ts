// The bridge to the Go core. Every bound method answers with one Result
// shape; a missing bridge or a thrown error becomes a Result too, so screens
// never see a raw exception.

export interface Result<T> {
  ok: boolean
  code?: string
  message?: string
  data?: T
}

export type Direction = 'out' | 'in'

export interface Request {
  id: number
  applicationId?: number
  direction: Direction
  messageId?: string
  number?: string
  templateId: string
  templateTitle: string
  provider: string
  providerCode: string
  channel: 'smev' | 'fax' | 'post'
  status: string
  statusTitle: string
  applicant?: string
  snils?: string
  createdAt: string
  sentAt?: string
  dueOn?: string
  dueMissingYear?: number
  dueNote?: string // «срок не рассчитан: нет производственного календаря на … год»
  answeredAt?: string
  lastError?: string
}

export interface ListQuery {
  direction?: Direction | ''
  statuses?: string[]
  query?: string
  from?: string
  to?: string
  overdue?: boolean
  order?: string
  offset?: number
  limit?: number
  skipTotal?: boolean
}

export interface ListResult {
  rows: Request[]
  total: number
}

export interface Summary {
  total: number
  overdueOutgoing: number
  overdueIncoming: number
}

export interface Identity {
  settlement: string
  oktmo: string
  clerk: string
  position?: string
  inn?: string
  ogrn?: string
  kpp?: string
  address?: string
  training: boolean
  dataDir?: string
}

export interface TemplateInfo {
  id: string
  title: string
  provider: string
  providerFull: string
  services: string[]
  termDays: number
  training: boolean
  personalSignature: boolean
  channels: string[]
}

export interface FieldOption {
  value: string
  label: string
}

export interface Field {
  name: string
  label: string
  type: string
  required: boolean
  maxLen?: number
  help?: string
  example: string
  options?: FieldOption[]
}

export interface Template {
  id: string
  title: string
  training: boolean
  note?: string
  services: string[]
  provider: { name: string; short: string; smevId: string }
  termDays: number
  personalSignature: boolean
  fields: Field[]
}

export interface Problem {
  field: string
  label: string
  message: string
}

export interface DraftView {
  request: Request
  template: Template
  values: Record<string, string>
  problems: Problem[]
  complete: boolean
  xml?: string
  readable: { label: string; value: string }[]
  files: Attachment[]
}

type Bound = (...args: unknown[]) => Promise<unknown>

declare global {
  interface Window {
    go?: Record<string, Record<string, Record<string, Bound>>>
    runtime?: { EventsOn?: (name: string, cb: (...data: unknown[]) => void) => () => void }
  }
}

export const NO_BRIDGE = 'Нет связи с ядром программы. Закройте окно и запустите Межвед снова.'
export const INTERNAL = 'Внутренняя ошибка программы. Подробности записаны в журнал работы.'

export async function call<T>(service: string, method: string, ...args: unknown[]): Promise<Result<T>> {
  const fn = window.go?.app?.[service]?.[method]
  if (typeof fn !== 'function') {
    return { ok: false, code: 'unavailable', message: NO_BRIDGE }
  }
  try {
    const res = (await fn(...args)) as Result<T> | undefined
    if (!res || typeof res.ok !== 'boolean') return { ok: false, code: 'internal', message: INTERNAL }
    return res
  } catch (e) {
    console.error(service, method, e)
    return { ok: false, code: 'internal', message: INTERNAL }
  }
}

export const journal = {
  list: (q: ListQuery) => call<ListResult>('JournalService', 'List', q),
  summary: () => call<Summary>('JournalService', 'Summary'),
  painted: () => call<null>('JournalService', 'Painted'),
}

export const templates = {
  list: (query: string) => call<TemplateInfo[]>('TemplatesService', 'List', query),
  get: (id: string) => call<Template>('TemplatesService', 'Get', id),
}

export interface CertView {
  owner: string
  subject: string
  issuer: string
  snils?: string
  inn?: string
  ogrn?: string
  serial: string
  notBefore: string
  notAfter: string
  valid: boolean
  validity: string
  training: boolean
}

export interface KeyChoice {
  path: string
  certPath: string
  pin: string
  training: boolean
}

export interface SignatureSummary {
  kind: string
  element: string
  valid: boolean
  owner?: string
  validity?: string
  problem?: string
  verdict?: 'valid' | 'untrusted' | 'invalid' // absent: kept before chains were checked
  verdictText?: string // «действительна», «математически верна, но сертификат не доверенный: …»
  chain?: string[]
}

export interface Attachment {
  id: number
  name: string
  mimeType: string
  size: number
  sha256: string
}

export interface ReplyView {
  id: number
  messageId: string
  kind: string
  kindTitle: string
  rejectCode?: string
  rejectText?: string
  receivedAt: string
  signatures: SignatureSummary[]
  valid: boolean
  readable: { label: string; value: string }[]
  attachments: Attachment[]
}

export interface TimelineEvent {
  at: string
  actor: string
  to: string
  title: string
  note?: string
}

export interface Timeline {
  request: Request
  statusTitle: string
  events: TimelineEvent[]
  deadlines: { kind: string; from: string; days: number; dueOn: string }[]
  daysLeft?: number
  dueNote?: string
  replies: ReplyView[]
  body?: string
  readable: { label: string; value: string }[]
  canAnswer: boolean
  answerCard?: Template
  connection?: string
}

export interface AnswerInput {
  requestId: number
  values: Record<string, string>
  rejectCode: string
  text: string
}

export const requests = {
  newDraft: (templateId: string, applicationId = 0, service = '') =>
    call<DraftView>('RequestsService', 'NewDraft', templateId, applicationId, service),
  saveDraft: (id: number, values: Record<string, string>) => call<DraftView>('RequestsService', 'SaveDraft', id, values),
  draft: (id: number) => call<DraftView>('RequestsService', 'Draft', id),
  openKey: (k: KeyChoice) => call<CertView>('RequestsService', 'OpenKey', k),
  addAttachment: (id: number, name: string, mime: string, base64: string) =>
    call<DraftView>('RequestsService', 'AddAttachment', id, name, mime, base64),
  removeAttachment: (id: number, attachmentId: number) => call<DraftView>('RequestsService', 'RemoveAttachment', id, attachmentId),
  openAttachment: (attachmentId: number, name: string) => call<string>('RequestsService', 'OpenAttachment', attachmentId, name),
  send: (id: number) => call<Timeline>('RequestsService', 'Send', id),
  timeline: (id: number) => call<Timeline>('RequestsService', 'Timeline', id),
  answer: (a: AnswerInput) => call<Timeline>('RequestsService', 'Answer', a),
}

export interface DeadlineRow extends Request {
  urgency: 'overdue' | 'today' | 'tomorrow' | 'pending'
  reminder: string
  daysLeft: number
}

export interface Board {
  today: string
  overdue: DeadlineRow[]
  dueToday: DeadlineRow[]
  tomorrow: DeadlineRow[]
  pending: DeadlineRow[]
  problem?: string
  notice?: string
}

export interface PaperRequest {
  channel: 'fax' | 'post' | ''
  number: string
  sentOn: string
  provider: string
  subject: string
  applicant: string
  termDays: number
}

export const deadlines = {
  board: () => call<Board>('DeadlinesService', 'Board'),
  registerPaper: (p: PaperRequest) => call<Request>('DeadlinesService', 'RegisterPaper', p),
  remind: () => call<{ overdue: number; today: number; tomorrow: number }>('DeadlinesService', 'Remind'),
}

export interface SyncView {
  lastSync?: string
  waiting: number
  running: boolean
  progress: { sent: number; total: number }
  unreachable: boolean
  message?: string
  enrolled: boolean
  note?: string
}

export const sync = {
  state: () => call<SyncView>('SyncService', 'State'),
  now: () => call<SyncView>('SyncService', 'Now'),
  personal: () => call<boolean>('SyncService', 'Personal'),
  setPersonal: (on: boolean) => call<boolean>('SyncService', 'SetPersonal', on),
}

export interface PrintJob {
  messageId?: string
  kind?: string
  from?: string
  to?: string
}

export interface Printed {
  path?: string
  pages: number
  title: string
  notes?: string[]
  saved: boolean
  opened: boolean
  preview?: string[]
}

export const printing = {
  preview: (j: PrintJob) => call<Printed>('PrintService', 'Preview', j),
  save: (j: PrintJob) => call<Printed>('PrintService', 'SavePDF', j),
  print: (j: PrintJob) => call<Printed>('PrintService', 'Print', j),
}

export interface ChannelView {
  url: string
  version: string
  plainHttp: boolean
  tlsCert: string
  tlsKey: string
  ca: string
  key: string
  cert: string
  timeout: string
  contour: 'production' | 'test' | ''
  connected?: boolean
  channel?: string
  note?: string
}

export interface CalendarInfo {
  years: number[]
  notice?: string
  imported?: number
  computed?: number
}

export const settings = {
  calendar: () => call<CalendarInfo>('SettingsService', 'Calendar'),
  importCalendar: () => call<CalendarInfo>('SettingsService', 'ImportCalendar'),
  channel: () => call<ChannelView>('SettingsService', 'Channel'),
  saveChannel: (c: ChannelView) => call<ChannelView>('SettingsService', 'SaveChannel', c),
  connectSMEV: (pin: string) => call<ChannelView>('SettingsService', 'ConnectSMEV', pin),
  identity: () => call<Identity>('SettingsService', 'Identity'),
  saveIdentity: (id: Identity) => call<Identity>('SettingsService', 'SaveIdentity', id),
}

export function onEvent(name: string, cb: (...data: unknown[]) => void): () => void {
  return window.runtime?.EventsOn?.(name, cb) ?? (() => {})
}
