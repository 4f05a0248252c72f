export namespace app {
	
	export class AnswerInput {
	    requestId: number;
	    values: Record<string, string>;
	    rejectCode: string;
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new AnswerInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.requestId = source["requestId"];
	        this.values = source["values"];
	        this.rejectCode = source["rejectCode"];
	        this.text = source["text"];
	    }
	}
	export class DeadlineRow {
	    id: number;
	    direction: string;
	    messageId?: string;
	    number?: string;
	    applicationId?: number;
	    templateId: string;
	    templateTitle: string;
	    provider: string;
	    providerCode: string;
	    channel: string;
	    status: string;
	    applicant?: string;
	    snils?: string;
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    sentAt: any;
	    dueOn?: string;
	    dueMissingYear?: number;
	    // Go type: time
	    answeredAt: any;
	    // Go type: time
	    updatedAt: any;
	    lastError?: string;
	    statusTitle: string;
	    dueNote?: string;
	    urgency: string;
	    reminder: string;
	    daysLeft: number;
	
	    static createFrom(source: any = {}) {
	        return new DeadlineRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.direction = source["direction"];
	        this.messageId = source["messageId"];
	        this.number = source["number"];
	        this.applicationId = source["applicationId"];
	        this.templateId = source["templateId"];
	        this.templateTitle = source["templateTitle"];
	        this.provider = source["provider"];
	        this.providerCode = source["providerCode"];
	        this.channel = source["channel"];
	        this.status = source["status"];
	        this.applicant = source["applicant"];
	        this.snils = source["snils"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.sentAt = this.convertValues(source["sentAt"], null);
	        this.dueOn = source["dueOn"];
	        this.dueMissingYear = source["dueMissingYear"];
	        this.answeredAt = this.convertValues(source["answeredAt"], null);
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.lastError = source["lastError"];
	        this.statusTitle = source["statusTitle"];
	        this.dueNote = source["dueNote"];
	        this.urgency = source["urgency"];
	        this.reminder = source["reminder"];
	        this.daysLeft = source["daysLeft"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Board {
	    today: string;
	    overdue: DeadlineRow[];
	    dueToday: DeadlineRow[];
	    tomorrow: DeadlineRow[];
	    pending: DeadlineRow[];
	    problem?: string;
	    notice?: string;
	
	    static createFrom(source: any = {}) {
	        return new Board(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.today = source["today"];
	        this.overdue = this.convertValues(source["overdue"], DeadlineRow);
	        this.dueToday = this.convertValues(source["dueToday"], DeadlineRow);
	        this.tomorrow = this.convertValues(source["tomorrow"], DeadlineRow);
	        this.pending = this.convertValues(source["pending"], DeadlineRow);
	        this.problem = source["problem"];
	        this.notice = source["notice"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CalendarInfo {
	    years: number[];
	    notice?: string;
	    imported?: number;
	    computed?: number;
	
	    static createFrom(source: any = {}) {
	        return new CalendarInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.years = source["years"];
	        this.notice = source["notice"];
	        this.imported = source["imported"];
	        this.computed = source["computed"];
	    }
	}
	export class CertView {
	    owner: string;
	    title?: string;
	    organization?: string;
	    subject: string;
	    issuer: string;
	    snils?: string;
	    inn?: string;
	    ogrn?: string;
	    serial: string;
	    // Go type: time
	    notBefore: any;
	    // Go type: time
	    notAfter: any;
	    valid: boolean;
	    validity: string;
	    trusted: boolean;
	    trust: string;
	    training: boolean;
	    software: boolean;
	
	    static createFrom(source: any = {}) {
	        return new CertView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.owner = source["owner"];
	        this.title = source["title"];
	        this.organization = source["organization"];
	        this.subject = source["subject"];
	        this.issuer = source["issuer"];
	        this.snils = source["snils"];
	        this.inn = source["inn"];
	        this.ogrn = source["ogrn"];
	        this.serial = source["serial"];
	        this.notBefore = this.convertValues(source["notBefore"], null);
	        this.notAfter = this.convertValues(source["notAfter"], null);
	        this.valid = source["valid"];
	        this.validity = source["validity"];
	        this.trusted = source["trusted"];
	        this.trust = source["trust"];
	        this.training = source["training"];
	        this.software = source["software"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ChannelView {
	    via: string;
	    itSystem: string;
	    nodeId: string;
	    filesDir: string;
	    url: string;
	    version: string;
	    plainHttp: boolean;
	    tlsCert: string;
	    tlsKey: string;
	    ca: string;
	    key: string;
	    cert: string;
	    timeout: string;
	    contour: string;
	    connected: boolean;
	    channel?: string;
	    note?: string;
	    checks: workstation.FileCheck[];
	
	    static createFrom(source: any = {}) {
	        return new ChannelView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.via = source["via"];
	        this.itSystem = source["itSystem"];
	        this.nodeId = source["nodeId"];
	        this.filesDir = source["filesDir"];
	        this.url = source["url"];
	        this.version = source["version"];
	        this.plainHttp = source["plainHttp"];
	        this.tlsCert = source["tlsCert"];
	        this.tlsKey = source["tlsKey"];
	        this.ca = source["ca"];
	        this.key = source["key"];
	        this.cert = source["cert"];
	        this.timeout = source["timeout"];
	        this.contour = source["contour"];
	        this.connected = source["connected"];
	        this.channel = source["channel"];
	        this.note = source["note"];
	        this.checks = this.convertValues(source["checks"], workstation.FileCheck);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class DraftView {
	    request: domain.Request;
	    template: templates.Template;
	    values: Record<string, string>;
	    problems: validate.Problem[];
	    complete: boolean;
	    xml?: string;
	    readable: workstation.LabeledValue[];
	    files: domain.Attachment[];
	
	    static createFrom(source: any = {}) {
	        return new DraftView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.request = this.convertValues(source["request"], domain.Request);
	        this.template = this.convertValues(source["template"], templates.Template);
	        this.values = source["values"];
	        this.problems = this.convertValues(source["problems"], validate.Problem);
	        this.complete = source["complete"];
	        this.xml = source["xml"];
	        this.readable = this.convertValues(source["readable"], workstation.LabeledValue);
	        this.files = this.convertValues(source["files"], domain.Attachment);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class FileUpload {
	    name: string;
	    mime: string;
	    base64: string;
	
	    static createFrom(source: any = {}) {
	        return new FileUpload(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.mime = source["mime"];
	        this.base64 = source["base64"];
	    }
	}
	export class Identity {
	    settlement: string;
	    oktmo: string;
	    clerk: string;
	    position: string;
	    signer: string;
	    inn: string;
	    ogrn: string;
	    kpp: string;
	    address: string;
	    training: boolean;
	    dataDir: string;
	
	    static createFrom(source: any = {}) {
	        return new Identity(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.settlement = source["settlement"];
	        this.oktmo = source["oktmo"];
	        this.clerk = source["clerk"];
	        this.position = source["position"];
	        this.signer = source["signer"];
	        this.inn = source["inn"];
	        this.ogrn = source["ogrn"];
	        this.kpp = source["kpp"];
	        this.address = source["address"];
	        this.training = source["training"];
	        this.dataDir = source["dataDir"];
	    }
	}
	export class KeyChoice {
	    path: string;
	    certPath: string;
	    pin: string;
	    training: boolean;
	
	    static createFrom(source: any = {}) {
	        return new KeyChoice(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.certPath = source["certPath"];
	        this.pin = source["pin"];
	        this.training = source["training"];
	    }
	}
	export class KeyView {
	    id: string;
	    kind: string;
	    kindText: string;
	    label: string;
	    where: string;
	    cert?: CertView;
	    note?: string;
	    secret: string;
	    needCert: boolean;
	    software: boolean;
	    training: boolean;
	
	    static createFrom(source: any = {}) {
	        return new KeyView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.kindText = source["kindText"];
	        this.label = source["label"];
	        this.where = source["where"];
	        this.cert = this.convertValues(source["cert"], CertView);
	        this.note = source["note"];
	        this.secret = source["secret"];
	        this.needCert = source["needCert"];
	        this.software = source["software"];
	        this.training = source["training"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class KeyList {
	    keys: KeyView[];
	    notes: string[];
	    softwareNote: string;
	    keysDir: string;
	
	    static createFrom(source: any = {}) {
	        return new KeyList(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.keys = this.convertValues(source["keys"], KeyView);
	        this.notes = source["notes"];
	        this.softwareNote = source["softwareNote"];
	        this.keysDir = source["keysDir"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class ListQuery {
	    direction: string;
	    statuses: string[];
	    query: string;
	    provider: string;
	    template: string;
	    from: string;
	    to: string;
	    overdue: boolean;
	    order: string;
	    offset: number;
	    limit: number;
	    skipTotal: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ListQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.direction = source["direction"];
	        this.statuses = source["statuses"];
	        this.query = source["query"];
	        this.provider = source["provider"];
	        this.template = source["template"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.overdue = source["overdue"];
	        this.order = source["order"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	        this.skipTotal = source["skipTotal"];
	    }
	}
	export class Row {
	    id: number;
	    direction: string;
	    messageId?: string;
	    number?: string;
	    applicationId?: number;
	    templateId: string;
	    templateTitle: string;
	    provider: string;
	    providerCode: string;
	    channel: string;
	    status: string;
	    applicant?: string;
	    snils?: string;
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    sentAt: any;
	    dueOn?: string;
	    dueMissingYear?: number;
	    // Go type: time
	    answeredAt: any;
	    // Go type: time
	    updatedAt: any;
	    lastError?: string;
	    statusTitle: string;
	    dueNote?: string;
	
	    static createFrom(source: any = {}) {
	        return new Row(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.direction = source["direction"];
	        this.messageId = source["messageId"];
	        this.number = source["number"];
	        this.applicationId = source["applicationId"];
	        this.templateId = source["templateId"];
	        this.templateTitle = source["templateTitle"];
	        this.provider = source["provider"];
	        this.providerCode = source["providerCode"];
	        this.channel = source["channel"];
	        this.status = source["status"];
	        this.applicant = source["applicant"];
	        this.snils = source["snils"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.sentAt = this.convertValues(source["sentAt"], null);
	        this.dueOn = source["dueOn"];
	        this.dueMissingYear = source["dueMissingYear"];
	        this.answeredAt = this.convertValues(source["answeredAt"], null);
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.lastError = source["lastError"];
	        this.statusTitle = source["statusTitle"];
	        this.dueNote = source["dueNote"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ListResult {
	    rows: Row[];
	    total: number;
	    totalAtLeast?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ListResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rows = this.convertValues(source["rows"], Row);
	        this.total = source["total"];
	        this.totalAtLeast = source["totalAtLeast"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PaperAnswerInput {
	    requestId: number;
	    channel: string;
	    refuse: boolean;
	    rejectCode: string;
	    text: string;
	    number: string;
	    dated: string;
	    files: FileUpload[];
	
	    static createFrom(source: any = {}) {
	        return new PaperAnswerInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.requestId = source["requestId"];
	        this.channel = source["channel"];
	        this.refuse = source["refuse"];
	        this.rejectCode = source["rejectCode"];
	        this.text = source["text"];
	        this.number = source["number"];
	        this.dated = source["dated"];
	        this.files = this.convertValues(source["files"], FileUpload);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PaperRequest {
	    direction: string;
	    channel: string;
	    number: string;
	    sentOn: string;
	    provider: string;
	    subject: string;
	    applicant: string;
	    termDays: number;
	
	    static createFrom(source: any = {}) {
	        return new PaperRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.direction = source["direction"];
	        this.channel = source["channel"];
	        this.number = source["number"];
	        this.sentOn = source["sentOn"];
	        this.provider = source["provider"];
	        this.subject = source["subject"];
	        this.applicant = source["applicant"];
	        this.termDays = source["termDays"];
	    }
	}
	export class PrintJob {
	    messageId: string;
	    kind: string;
	    from: string;
	    to: string;
	
	    static createFrom(source: any = {}) {
	        return new PrintJob(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.messageId = source["messageId"];
	        this.kind = source["kind"];
	        this.from = source["from"];
	        this.to = source["to"];
	    }
	}
	export class Printed {
	    path: string;
	    pages: number;
	    title: string;
	    notes: string[];
	    saved: boolean;
	    opened: boolean;
	    preview: string[];
	    images: string[];
	
	    static createFrom(source: any = {}) {
	        return new Printed(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.pages = source["pages"];
	        this.title = source["title"];
	        this.notes = source["notes"];
	        this.saved = source["saved"];
	        this.opened = source["opened"];
	        this.preview = source["preview"];
	        this.images = source["images"];
	    }
	}
	export class RegionKitView {
	    // Go type: time
	    lastSync: any;
	    waiting: number;
	    running: boolean;
	    // Go type: regionsync
	    progress: any;
	    unreachable: boolean;
	    message?: string;
	    enrolled: boolean;
	    note?: string;
	    settlement: string;
	    oktmo: string;
	    workstation: string;
	    url: string;
	    // Go type: time
	    notAfter: any;
	
	    static createFrom(source: any = {}) {
	        return new RegionKitView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.lastSync = this.convertValues(source["lastSync"], null);
	        this.waiting = source["waiting"];
	        this.running = source["running"];
	        this.progress = this.convertValues(source["progress"], null);
	        this.unreachable = source["unreachable"];
	        this.message = source["message"];
	        this.enrolled = source["enrolled"];
	        this.note = source["note"];
	        this.settlement = source["settlement"];
	        this.oktmo = source["oktmo"];
	        this.workstation = source["workstation"];
	        this.url = source["url"];
	        this.notAfter = this.convertValues(source["notAfter"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ReminderCounts {
	    overdue: number;
	    today: number;
	    tomorrow: number;
	
	    static createFrom(source: any = {}) {
	        return new ReminderCounts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.overdue = source["overdue"];
	        this.today = source["today"];
	        this.tomorrow = source["tomorrow"];
	    }
	}
	
	export class Summary {
	    total: number;
	    overdueOutgoing: number;
	    overdueIncoming: number;
	
	    static createFrom(source: any = {}) {
	        return new Summary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.total = source["total"];
	        this.overdueOutgoing = source["overdueOutgoing"];
	        this.overdueIncoming = source["overdueIncoming"];
	    }
	}
	export class SyncView {
	    // Go type: time
	    lastSync: any;
	    waiting: number;
	    running: boolean;
	    // Go type: regionsync
	    progress: any;
	    unreachable: boolean;
	    message?: string;
	    enrolled: boolean;
	    note?: string;
	
	    static createFrom(source: any = {}) {
	        return new SyncView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.lastSync = this.convertValues(source["lastSync"], null);
	        this.waiting = source["waiting"];
	        this.running = source["running"];
	        this.progress = this.convertValues(source["progress"], null);
	        this.unreachable = source["unreachable"];
	        this.message = source["message"];
	        this.enrolled = source["enrolled"];
	        this.note = source["note"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TemplateInfo {
	    id: string;
	    title: string;
	    provider: string;
	    providerFull: string;
	    services: string[];
	    termDays: number;
	    training: boolean;
	    personalSignature: boolean;
	    channels: string[];
	
	    static createFrom(source: any = {}) {
	        return new TemplateInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.provider = source["provider"];
	        this.providerFull = source["providerFull"];
	        this.services = source["services"];
	        this.termDays = source["termDays"];
	        this.training = source["training"];
	        this.personalSignature = source["personalSignature"];
	        this.channels = source["channels"];
	    }
	}

}

export namespace domain {
	
	export class Attachment {
	    id: number;
	    name: string;
	    mimeType: string;
	    size: number;
	    sha256: string;
	
	    static createFrom(source: any = {}) {
	        return new Attachment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.mimeType = source["mimeType"];
	        this.size = source["size"];
	        this.sha256 = source["sha256"];
	    }
	}
	export class RejectReason {
	    code: string;
	    title: string;
	
	    static createFrom(source: any = {}) {
	        return new RejectReason(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.title = source["title"];
	    }
	}
	export class Request {
	    id: number;
	    direction: string;
	    messageId?: string;
	    number?: string;
	    applicationId?: number;
	    templateId: string;
	    templateTitle: string;
	    provider: string;
	    providerCode: string;
	    channel: string;
	    status: string;
	    applicant?: string;
	    snils?: string;
	    // Go type: time
	    createdAt: any;
	    // Go type: time
	    sentAt: any;
	    dueOn?: string;
	    dueMissingYear?: number;
	    // Go type: time
	    answeredAt: any;
	    // Go type: time
	    updatedAt: any;
	    lastError?: string;
	
	    static createFrom(source: any = {}) {
	        return new Request(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.direction = source["direction"];
	        this.messageId = source["messageId"];
	        this.number = source["number"];
	        this.applicationId = source["applicationId"];
	        this.templateId = source["templateId"];
	        this.templateTitle = source["templateTitle"];
	        this.provider = source["provider"];
	        this.providerCode = source["providerCode"];
	        this.channel = source["channel"];
	        this.status = source["status"];
	        this.applicant = source["applicant"];
	        this.snils = source["snils"];
	        this.createdAt = this.convertValues(source["createdAt"], null);
	        this.sentAt = this.convertValues(source["sentAt"], null);
	        this.dueOn = source["dueOn"];
	        this.dueMissingYear = source["dueMissingYear"];
	        this.answeredAt = this.convertValues(source["answeredAt"], null);
	        this.updatedAt = this.convertValues(source["updatedAt"], null);
	        this.lastError = source["lastError"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace store {
	
	export class Deadline {
	    kind: string;
	    from: string;
	    days: number;
	    dueOn: string;
	
	    static createFrom(source: any = {}) {
	        return new Deadline(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.from = source["from"];
	        this.days = source["days"];
	        this.dueOn = source["dueOn"];
	    }
	}

}

export namespace templates {
	
	export class DataType {
	    namespace: string;
	    root: string;
	    version: string;
	    registry?: string;
	
	    static createFrom(source: any = {}) {
	        return new DataType(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.namespace = source["namespace"];
	        this.root = source["root"];
	        this.version = source["version"];
	        this.registry = source["registry"];
	    }
	}
	export class Option {
	    value: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new Option(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.value = source["value"];
	        this.label = source["label"];
	    }
	}
	export class Field {
	    name: string;
	    label: string;
	    type: string;
	    required: boolean;
	    maxLen?: number;
	    help?: string;
	    example: string;
	    options?: Option[];
	
	    static createFrom(source: any = {}) {
	        return new Field(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.label = source["label"];
	        this.type = source["type"];
	        this.required = source["required"];
	        this.maxLen = source["maxLen"];
	        this.help = source["help"];
	        this.example = source["example"];
	        this.options = this.convertValues(source["options"], Option);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Labeled {
	    label: string;
	    value: string;
	
	    static createFrom(source: any = {}) {
	        return new Labeled(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.label = source["label"];
	        this.value = source["value"];
	    }
	}
	export class OneOf {
	    fields: string[];
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new OneOf(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.fields = source["fields"];
	        this.message = source["message"];
	    }
	}
	
	export class Provider {
	    name: string;
	    short: string;
	    smevId: string;
	
	    static createFrom(source: any = {}) {
	        return new Provider(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.short = source["short"];
	        this.smevId = source["smevId"];
	    }
	}
	export class SchemaSet {
	    set: string;
	    main: string;
	
	    static createFrom(source: any = {}) {
	        return new SchemaSet(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.set = source["set"];
	        this.main = source["main"];
	    }
	}
	export class Section {
	    title: string;
	    fields: Labeled[];
	    columns?: string[];
	    rows?: string[][];
	
	    static createFrom(source: any = {}) {
	        return new Section(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.fields = this.convertValues(source["fields"], Labeled);
	        this.columns = source["columns"];
	        this.rows = source["rows"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Template {
	    id: string;
	    version: number;
	    title: string;
	    training: boolean;
	    note?: string;
	    services: string[];
	    provider: Provider;
	    dataType: DataType;
	    channels: string[];
	    termDays: number;
	    personalSignature: boolean;
	    answersRoot?: string;
	    answersTitle?: string;
	    fields: Field[];
	    hasSchema: boolean;
	    builtin: boolean;
	    schemas?: SchemaSet;
	    oneOf?: OneOf[];
	
	    static createFrom(source: any = {}) {
	        return new Template(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.version = source["version"];
	        this.title = source["title"];
	        this.training = source["training"];
	        this.note = source["note"];
	        this.services = source["services"];
	        this.provider = this.convertValues(source["provider"], Provider);
	        this.dataType = this.convertValues(source["dataType"], DataType);
	        this.channels = source["channels"];
	        this.termDays = source["termDays"];
	        this.personalSignature = source["personalSignature"];
	        this.answersRoot = source["answersRoot"];
	        this.answersTitle = source["answersTitle"];
	        this.fields = this.convertValues(source["fields"], Field);
	        this.hasSchema = source["hasSchema"];
	        this.builtin = source["builtin"];
	        this.schemas = this.convertValues(source["schemas"], SchemaSet);
	        this.oneOf = this.convertValues(source["oneOf"], OneOf);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace transport {
	
	export class SignatureSummary {
	    kind: string;
	    element: string;
	    valid: boolean;
	    owner?: string;
	    validity?: string;
	    problem?: string;
	    verdict?: string;
	    verdictText?: string;
	    chain?: string[];
	    // Go type: time
	    checkedAt: any;
	
	    static createFrom(source: any = {}) {
	        return new SignatureSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.element = source["element"];
	        this.valid = source["valid"];
	        this.owner = source["owner"];
	        this.validity = source["validity"];
	        this.problem = source["problem"];
	        this.verdict = source["verdict"];
	        this.verdictText = source["verdictText"];
	        this.chain = source["chain"];
	        this.checkedAt = this.convertValues(source["checkedAt"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace validate {
	
	export class Problem {
	    field: string;
	    label: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new Problem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.field = source["field"];
	        this.label = source["label"];
	        this.message = source["message"];
	    }
	}

}

export namespace workstation {
	
	export class FileCheck {
	    field: string;
	    ok: boolean;
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new FileCheck(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.field = source["field"];
	        this.ok = source["ok"];
	        this.text = source["text"];
	    }
	}
	export class LabeledValue {
	    label: string;
	    value: string;
	
	    static createFrom(source: any = {}) {
	        return new LabeledValue(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.label = source["label"];
	        this.value = source["value"];
	    }
	}
	export class ReplyView {
	    id: number;
	    messageId: string;
	    kind: string;
	    kindTitle: string;
	    rejectCode?: string;
	    rejectText?: string;
	    // Go type: time
	    receivedAt: any;
	    signatures: transport.SignatureSummary[];
	    valid: boolean;
	    readable: LabeledValue[];
	    sections?: templates.Section[];
	    attachments: domain.Attachment[];
	    checkedBy?: string;
	    ours: boolean;
	    channel: string;
	    channelTitle: string;
	    number?: string;
	    dated?: string;
	    text?: string;
	    printable: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ReplyView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.messageId = source["messageId"];
	        this.kind = source["kind"];
	        this.kindTitle = source["kindTitle"];
	        this.rejectCode = source["rejectCode"];
	        this.rejectText = source["rejectText"];
	        this.receivedAt = this.convertValues(source["receivedAt"], null);
	        this.signatures = this.convertValues(source["signatures"], transport.SignatureSummary);
	        this.valid = source["valid"];
	        this.readable = this.convertValues(source["readable"], LabeledValue);
	        this.sections = this.convertValues(source["sections"], templates.Section);
	        this.attachments = this.convertValues(source["attachments"], domain.Attachment);
	        this.checkedBy = source["checkedBy"];
	        this.ours = source["ours"];
	        this.channel = source["channel"];
	        this.channelTitle = source["channelTitle"];
	        this.number = source["number"];
	        this.dated = source["dated"];
	        this.text = source["text"];
	        this.printable = source["printable"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TimelineEvent {
	    // Go type: time
	    at: any;
	    actor: string;
	    to: string;
	    title: string;
	    note?: string;
	
	    static createFrom(source: any = {}) {
	        return new TimelineEvent(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.at = this.convertValues(source["at"], null);
	        this.actor = source["actor"];
	        this.to = source["to"];
	        this.title = source["title"];
	        this.note = source["note"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Timeline {
	    request: domain.Request;
	    statusTitle: string;
	    events: TimelineEvent[];
	    deadlines: store.Deadline[];
	    daysLeft?: number;
	    dueNote?: string;
	    replies: ReplyView[];
	    body?: string;
	    readable: LabeledValue[];
	    sections?: templates.Section[];
	    canAnswer: boolean;
	    answerCard?: templates.Template;
	    connection?: string;
	    via?: string;
	    viaTitle?: string;
	    providerFrom: string;
	    ourAnswers: ReplyView[];
	    viaSmev: boolean;
	    canAnswerOnPaper: boolean;
	    canWithdraw: boolean;
	    rejectReasons: domain.RejectReason[];
	
	    static createFrom(source: any = {}) {
	        return new Timeline(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.request = this.convertValues(source["request"], domain.Request);
	        this.statusTitle = source["statusTitle"];
	        this.events = this.convertValues(source["events"], TimelineEvent);
	        this.deadlines = this.convertValues(source["deadlines"], store.Deadline);
	        this.daysLeft = source["daysLeft"];
	        this.dueNote = source["dueNote"];
	        this.replies = this.convertValues(source["replies"], ReplyView);
	        this.body = source["body"];
	        this.readable = this.convertValues(source["readable"], LabeledValue);
	        this.sections = this.convertValues(source["sections"], templates.Section);
	        this.canAnswer = source["canAnswer"];
	        this.answerCard = this.convertValues(source["answerCard"], templates.Template);
	        this.connection = source["connection"];
	        this.via = source["via"];
	        this.viaTitle = source["viaTitle"];
	        this.providerFrom = source["providerFrom"];
	        this.ourAnswers = this.convertValues(source["ourAnswers"], ReplyView);
	        this.viaSmev = source["viaSmev"];
	        this.canAnswerOnPaper = source["canAnswerOnPaper"];
	        this.canWithdraw = source["canWithdraw"];
	        this.rejectReasons = this.convertValues(source["rejectReasons"], domain.RejectReason);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

