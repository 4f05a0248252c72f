import { describe, expect, it } from 'vitest'
import { render } from 'svelte/server'
import DataSections from './DataSections.svelte'
import type { DataSection } from './api'

// The server rendering without Svelte's markers and scoped class names.
function html(sections: DataSection[]): string {
  return render(DataSections, { props: { sections } })
    .body.replace(/<!--[^>]*-->/g, '')
    .replace(/ class="svelte-[a-z0-9]+"/g, '')
    .replace(/ svelte-[a-z0-9]+"/g, '"')
}

const household: DataSection[] = [
  { title: 'Сведения о хозяйстве', fields: [{ label: 'Адрес хозяйства', value: 'д. Берёзовка, ул. Лесная, д. 4' }, { label: 'Лицевой счёт', value: '112' }] },
  {
    title: 'Члены хозяйства',
    fields: [],
    columns: ['Фамилия, имя, отчество', 'Дата рождения', 'Отношение к главе хозяйства'],
    rows: [
      ['Иванов Иван Иванович', '01.02.1985', 'глава'],
      ['Иванова Анна Петровна', '', 'жена'],
    ],
  },
]

describe('DataSections', () => {
  it('shows fields as label and value, a repeated part as a table with a caption in its own scrolling box', () => {
    const body = html(household)
    expect(body).toContain('<h3 class="title">Сведения о хозяйстве</h3>')
    expect(body).toMatch(/<dt>Адрес хозяйства<\/dt>\s*<dd>д\. Берёзовка, ул\. Лесная, д\. 4<\/dd>/)
    expect(body).toMatch(/<div class="table-box" role="region" aria-label="Члены хозяйства" tabindex="0">/)
    expect(body).toMatch(/<caption>Члены хозяйства<\/caption>/)
    expect(body.match(/<th scope="col">/g)?.length).toBe(3)
    expect(body).toContain('<td>Иванова Анна Петровна</td>')
    expect(body).toContain('<td>—</td>') // an empty datum is a dash, not a hole
    // The table's title is its caption, not a heading as well.
    expect(body).not.toMatch(/<h3[^>]*>Члены хозяйства<\/h3>/)
  })

  it('takes a table whose fields and rows come from Go as null', () => {
    const fromGo = JSON.parse('[{"title":"Сведения о видах деятельности","fields":null,"columns":["Код по ОКВЭД","Наименование"],"rows":[["01.11","Выращивание зерновых"]]},{"title":"Пустая","fields":null,"columns":["Код"],"rows":null}]') as DataSection[]
    const body = html(fromGo)
    expect(body).toContain('<caption>Сведения о видах деятельности</caption>')
    expect(body).toContain('<td>Выращивание зерновых</td>')
    expect(body).not.toContain('<dl')
    expect(body).toMatch(/<td colspan="1" class="none">Нет записей<\/td>/)
  })

  it('says so when a table has no rows', () => {
    const body = html([{ title: 'Выплаты', fields: [], columns: ['Месяц', 'Сумма'], rows: [] }])
    expect(body).toMatch(/<td colspan="2" class="none">Нет записей<\/td>/)
  })
})
