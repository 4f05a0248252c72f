import * as Deadlines from '../wailsjs/go/app/DeadlinesService'
import * as Journal from '../wailsjs/go/app/JournalService'
import * as Print from '../wailsjs/go/app/PrintService'
import * as Requests from '../wailsjs/go/app/RequestsService'
import * as Settings from '../wailsjs/go/app/SettingsService'
import * as Sync from '../wailsjs/go/app/SyncService'
import * as Templates from '../wailsjs/go/app/TemplatesService'
import { app } from '../wailsjs/go/models'

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

// bridged runs a bound Go method through its generated binding
// (../wailsjs/go/app, made by `wails generate module` from the Go methods
// and checked in make test). The methods return a value, or fail with an
// app.Error whose text is JSON {"code", "message"}; every outcome becomes
// one Result, so screens never see a raw exception. where is Service.Method.
export async function bridged<T>(run: () => Promise<unknown>, where: string): Promise<Result<T>> {
  const [service, method] = where.split('.')
  const fn = typeof window === 'undefined' ? undefined : window.go?.app?.[service]?.[method]
  if (typeof fn !== 'function') {
    return { ok: false, code: 'unavailable', message: NO_BRIDGE }
  }
  try {
    return { ok: true, data: (await run()) as T }
  } catch (e) {
    return failure(e, where)
  }
}

// failure reads the error a bound method failed with.
export function failure(e: unknown, where = ''): Result<never> {
  const text = typeof e === 'string' ? e : e instanceof Error ? e.message : ''
  try {
    const err = JSON.parse(text) as { code?: unknown; message?: unknown }
    if (typeof err.code === 'string' && typeof err.message === 'string') {
      return { ok: false, code: err.code, message: err.message }
    }
  } catch {
    // not one of ours
  }
  console.error(where, e)
  return { ok: false, code: 'internal', message: INTERNAL }
}

export const journal = {
  list: (q: ListQuery) => bridged<ListResult>(() => Journal.List(app.ListQuery.createFrom(q)), 'JournalService.List'),
  summary: () => bridged<Summary>(() => Journal.Summary(), 'JournalService.Summary'),
  painted: () => bridged<null>(() => Journal.Painted(), 'JournalService.Painted'),
}

export const templates = {
  list: (query: string) => bridged<TemplateInfo[]>(() => Templates.List(query), 'TemplatesService.List'),
  get: (id: string) => bridged<Template>(() => Templates.Get(id), 'TemplatesService.Get'),
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
    bridged<DraftView>(() => Requests.NewDraft(templateId, applicationId, service), 'RequestsService.NewDraft'),
  saveDraft: (id: number, values: Record<string, string>) => bridged<DraftView>(() => Requests.SaveDraft(id, values), 'RequestsService.SaveDraft'),
  draft: (id: number) => bridged<DraftView>(() => Requests.Draft(id), 'RequestsService.Draft'),
  openKey: (k: KeyChoice) => bridged<CertView>(() => Requests.OpenKey(k), 'RequestsService.OpenKey'),
  addAttachment: (id: number, name: string, mime: string, base64: string) =>
    bridged<DraftView>(() => Requests.AddAttachment(id, name, mime, base64), 'RequestsService.AddAttachment'),
  removeAttachment: (id: number, attachmentId: number) => bridged<DraftView>(() => Requests.RemoveAttachment(id, attachmentId), 'RequestsService.RemoveAttachment'),
  openAttachment: (attachmentId: number, name: string) => bridged<string>(() => Requests.OpenAttachment(attachmentId, name), 'RequestsService.OpenAttachment'),
  send: (id: number) => bridged<Timeline>(() => Requests.Send(id), 'RequestsService.Send'),
  timeline: (id: number) => bridged<Timeline>(() => Requests.Timeline(id), 'RequestsService.Timeline'),
  answer: (a: AnswerInput) => bridged<Timeline>(() => Requests.Answer(a), 'RequestsService.Answer'),
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
  board: () => bridged<Board>(() => Deadlines.Board(), 'DeadlinesService.Board'),
  registerPaper: (p: PaperRequest) => bridged<Request>(() => Deadlines.RegisterPaper(p), 'DeadlinesService.RegisterPaper'),
  remind: () => bridged<app.ReminderCounts>(() => Deadlines.Remind(), 'DeadlinesService.Remind'),
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
  state: () => bridged<SyncView>(() => Sync.State(), 'SyncService.State'),
  now: () => bridged<SyncView>(() => Sync.Now(), 'SyncService.Now'),
  personal: () => bridged<boolean>(() => Sync.Personal(), 'SyncService.Personal'),
  setPersonal: (on: boolean) => bridged<boolean>(() => Sync.SetPersonal(on), 'SyncService.SetPersonal'),
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
  preview: (j: PrintJob) => bridged<Printed>(() => Print.Preview(app.PrintJob.createFrom(j)), 'PrintService.Preview'),
  save: (j: PrintJob) => bridged<Printed>(() => Print.SavePDF(app.PrintJob.createFrom(j)), 'PrintService.SavePDF'),
  print: (j: PrintJob) => bridged<Printed>(() => Print.Print(app.PrintJob.createFrom(j)), 'PrintService.Print'),
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
  calendar: () => bridged<CalendarInfo>(() => Settings.Calendar(), 'SettingsService.Calendar'),
  importCalendar: () => bridged<CalendarInfo>(() => Settings.ImportCalendar(), 'SettingsService.ImportCalendar'),
  channel: () => bridged<ChannelView>(() => Settings.Channel(), 'SettingsService.Channel'),
  saveChannel: (c: ChannelView) => bridged<ChannelView>(() => Settings.SaveChannel(app.ChannelView.createFrom(c)), 'SettingsService.SaveChannel'),
  connectSMEV: (pin: string) => bridged<ChannelView>(() => Settings.ConnectSMEV(pin), 'SettingsService.ConnectSMEV'),
  identity: () => bridged<Identity>(() => Settings.Identity(), 'SettingsService.Identity'),
  saveIdentity: (id: Identity) => bridged<Identity>(() => Settings.SaveIdentity(app.Identity.createFrom(id)), 'SettingsService.SaveIdentity'),
}

export function onEvent(name: string, cb: (...data: unknown[]) => void): () => void {
  return window.runtime?.EventsOn?.(name, cb) ?? (() => {})
}
