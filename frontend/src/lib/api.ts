import * as Deadlines from '../wailsjs/go/app/DeadlinesService'
import * as Journal from '../wailsjs/go/app/JournalService'
import * as Print from '../wailsjs/go/app/PrintService'
import * as Requests from '../wailsjs/go/app/RequestsService'
import * as Settings from '../wailsjs/go/app/SettingsService'
import * as Sync from '../wailsjs/go/app/SyncService'
import * as Templates from '../wailsjs/go/app/TemplatesService'
import * as models from '../wailsjs/go/models'

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

// Plain is a generated model as data: the JSON the bridge carries, without
// the helper methods of the generated classes.
export type Plain<T> = T extends (infer U)[]
  ? Plain<U>[]
  : T extends object
    ? { [K in keyof T as K extends 'convertValues' ? never : K]: Plain<T[K]> }
    : T

export type Request = Plain<models.domain.Request>

// Row is a request as the journal lists it, with its status in Russian.
export type Row = Plain<models.app.Row>

// Inputs: what the Go side does not receive is its zero value.
export type ListQuery = Partial<Plain<models.app.ListQuery>>

export type ListResult = Plain<models.app.ListResult>

export type Summary = Plain<models.app.Summary>

export type Identity = Plain<models.app.Identity>

export type TemplateInfo = Plain<models.app.TemplateInfo>

export type FieldOption = Plain<models.templates.Option>

export type Field = Plain<models.templates.Field>

export type Template = Plain<models.templates.Template>

export type Problem = Plain<models.validate.Problem>

export type DraftView = Plain<models.app.DraftView>

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
  list: (q: ListQuery) => bridged<ListResult>(() => Journal.List(models.app.ListQuery.createFrom(q)), 'JournalService.List'),
  summary: () => bridged<Summary>(() => Journal.Summary(), 'JournalService.Summary'),
  painted: () => bridged<null>(() => Journal.Painted(), 'JournalService.Painted'),
}

export const templates = {
  list: (query: string) => bridged<TemplateInfo[]>(() => Templates.List(query), 'TemplatesService.List'),
  get: (id: string) => bridged<Template>(() => Templates.Get(id), 'TemplatesService.Get'),
}

export type CertView = Plain<models.app.CertView>

export type KeyChoice = Plain<models.app.KeyChoice>

export type KeyView = Plain<models.app.KeyView>

export type KeyList = Plain<models.app.KeyList>

export type SignatureSummary = Plain<models.transport.SignatureSummary>

export type Attachment = Plain<models.domain.Attachment>

export type ReplyView = Plain<models.workstation.ReplyView>

export type TimelineEvent = Plain<models.workstation.TimelineEvent>

// A part of a document under its schema's Russian words: fields, or a table.
export type DataSection = Plain<models.templates.Section>

export type Timeline = Plain<models.workstation.Timeline>

export type AnswerInput = Plain<models.app.AnswerInput>

export const requests = {
  newDraft: (templateId: string, applicationId = 0, service = '') =>
    bridged<DraftView>(() => Requests.NewDraft(templateId, applicationId, service), 'RequestsService.NewDraft'),
  saveDraft: (id: number, values: Record<string, string>) => bridged<DraftView>(() => Requests.SaveDraft(id, values), 'RequestsService.SaveDraft'),
  draft: (id: number) => bridged<DraftView>(() => Requests.Draft(id), 'RequestsService.Draft'),
  openKey: (k: KeyChoice) => bridged<CertView>(() => Requests.OpenKey(k), 'RequestsService.OpenKey'),
  keys: () => bridged<KeyList>(() => Requests.Keys(), 'RequestsService.Keys'),
  describeKey: (path: string) => bridged<KeyView>(() => Requests.DescribeKey(path), 'RequestsService.DescribeKey'),
  chooseKeyFile: () => bridged<KeyView>(() => Requests.ChooseKeyFile(), 'RequestsService.ChooseKeyFile'),
  chooseKeyFolder: () => bridged<KeyView>(() => Requests.ChooseKeyFolder(), 'RequestsService.ChooseKeyFolder'),
  addAttachment: (id: number, name: string, mime: string, base64: string) =>
    bridged<DraftView>(() => Requests.AddAttachment(id, name, mime, base64), 'RequestsService.AddAttachment'),
  removeAttachment: (id: number, attachmentId: number) => bridged<DraftView>(() => Requests.RemoveAttachment(id, attachmentId), 'RequestsService.RemoveAttachment'),
  openAttachment: (attachmentId: number, name: string) => bridged<string>(() => Requests.OpenAttachment(attachmentId, name), 'RequestsService.OpenAttachment'),
  send: (id: number) => bridged<Timeline>(() => Requests.Send(id), 'RequestsService.Send'),
  timeline: (id: number) => bridged<Timeline>(() => Requests.Timeline(id), 'RequestsService.Timeline'),
  answer: (a: AnswerInput) => bridged<Timeline>(() => Requests.Answer(a), 'RequestsService.Answer'),
}

export type PaperAnswerInput = Plain<models.app.PaperAnswerInput>

export type FileUpload = Plain<models.app.FileUpload>

// A new request's form is kept nowhere until its first save; a draft that
// never left is deleted.
export const drafts = {
  start: (templateId: string, applicationId = 0, service = '') =>
    bridged<DraftView>(() => Requests.StartDraft(templateId, applicationId, service), 'RequestsService.StartDraft'),
  create: (templateId: string, values: Record<string, string>, applicationId = 0, service = '') =>
    bridged<DraftView>(() => Requests.CreateDraft(templateId, applicationId, service, values), 'RequestsService.CreateDraft'),
  remove: (id: number) => bridged<null>(() => Requests.DeleteDraft(id), 'RequestsService.DeleteDraft'),
}

// Every request reaches its end: an answer by post or fax, a withdrawal.
export const closing = {
  paperAnswer: (a: Partial<PaperAnswerInput>) =>
    bridged<Timeline>(() => Requests.RecordPaperAnswer(models.app.PaperAnswerInput.createFrom(a)), 'RequestsService.RecordPaperAnswer'),
  withdraw: (id: number, reason: string) => bridged<Timeline>(() => Requests.Withdraw(id, reason), 'RequestsService.Withdraw'),
}

export type DeadlineRow = Plain<models.app.DeadlineRow>

export type Board = Plain<models.app.Board>

export type PaperRequest = Plain<models.app.PaperRequest>

export const deadlines = {
  board: () => bridged<Board>(() => Deadlines.Board(), 'DeadlinesService.Board'),
  registerPaper: (p: PaperRequest) => bridged<Row>(() => Deadlines.RegisterPaper(p), 'DeadlinesService.RegisterPaper'),
  remind: () => bridged<Plain<models.app.ReminderCounts>>(() => Deadlines.Remind(), 'DeadlinesService.Remind'),
}

export type SyncView = Plain<models.app.SyncView>

export type RegionKitView = Plain<models.app.RegionKitView>

export const sync = {
  state: () => bridged<SyncView>(() => Sync.State(), 'SyncService.State'),
  now: () => bridged<SyncView>(() => Sync.Now(), 'SyncService.Now'),
  personal: () => bridged<boolean>(() => Sync.Personal(), 'SyncService.Personal'),
  setPersonal: (on: boolean) => bridged<boolean>(() => Sync.SetPersonal(on), 'SyncService.SetPersonal'),
  connectRegion: () => bridged<RegionKitView>(() => Sync.ConnectRegion(), 'SyncService.ConnectRegion'),
}

export type PrintJob = Partial<Plain<models.app.PrintJob>>

export type Printed = Plain<models.app.Printed>

export const printing = {
  preview: (j: PrintJob) => bridged<Printed>(() => Print.Preview(models.app.PrintJob.createFrom(j)), 'PrintService.Preview'),
  save: (j: PrintJob) => bridged<Printed>(() => Print.SavePDF(models.app.PrintJob.createFrom(j)), 'PrintService.SavePDF'),
  print: (j: PrintJob) => bridged<Printed>(() => Print.Print(models.app.PrintJob.createFrom(j)), 'PrintService.Print'),
}

export type ChannelView = Plain<models.app.ChannelView>

export type FileCheck = Plain<models.workstation.FileCheck>

export type CalendarInfo = Plain<models.app.CalendarInfo>

export const settings = {
  calendar: () => bridged<CalendarInfo>(() => Settings.Calendar(), 'SettingsService.Calendar'),
  importCalendar: () => bridged<CalendarInfo>(() => Settings.ImportCalendar(), 'SettingsService.ImportCalendar'),
  channel: () => bridged<ChannelView>(() => Settings.Channel(), 'SettingsService.Channel'),
  saveChannel: (c: Partial<ChannelView>) => bridged<ChannelView>(() => Settings.SaveChannel(models.app.ChannelView.createFrom(c)), 'SettingsService.SaveChannel'),
  connectSMEV: (pin: string) => bridged<ChannelView>(() => Settings.ConnectSMEV(pin), 'SettingsService.ConnectSMEV'),
  checkChannel: (c: Partial<ChannelView>) => bridged<ChannelView>(() => Settings.CheckChannel(models.app.ChannelView.createFrom(c)), 'SettingsService.CheckChannel'),
  chooseChannelFile: (field: string, c: Partial<ChannelView>) =>
    bridged<ChannelView>(() => Settings.ChooseChannelFile(field, models.app.ChannelView.createFrom(c)), 'SettingsService.ChooseChannelFile'),
  identity: () => bridged<Identity>(() => Settings.Identity(), 'SettingsService.Identity'),
  keyModules: () => bridged<string[]>(() => Settings.KeyModules(), 'SettingsService.KeyModules'),
  saveKeyModules: (paths: string[]) => bridged<string[]>(() => Settings.SaveKeyModules(paths), 'SettingsService.SaveKeyModules'),
  saveIdentity: (id: Partial<Identity>) => bridged<Identity>(() => Settings.SaveIdentity(models.app.Identity.createFrom(id)), 'SettingsService.SaveIdentity'),
}

export function onEvent(name: string, cb: (...data: unknown[]) => void): () => void {
  return window.runtime?.EventsOn?.(name, cb) ?? (() => {})
}
