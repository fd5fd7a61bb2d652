import {
  Alert,
  BackLink,
  DataTable,
  describedBy,
  ErrorSummary,
  FormField,
  PageHeader,
} from '../../web/components/index.ts';
import { type Lang, translator } from '../../web/i18n.ts';
import type { SenderListing } from '../identity/index.ts';
import type { FieldErrors } from './staff-page.views.tsx';

export type SenderFormValues = Partial<
  Record<
    'cvr' | 'name' | 'kind' | 'municipalityCode' | 'contactEmail' | 'contactPhone' | 'adminSubject' | 'adminName',
    string
  >
>;

const kinds = ['municipality', 'state', 'region', 'other'] as const;

/** One text field of the new-sender form, through the view kit's FormField. */
function TextField(props: {
  id: keyof SenderFormValues;
  label: string;
  hint?: string;
  type?: string;
  maxlength: number;
  inputmode?: string;
  values: SenderFormValues;
  errors: FieldErrors;
  prefix: string;
}) {
  const error = props.errors[props.id];
  return (
    <FormField id={props.id} label={props.label} hint={props.hint} error={error} errorPrefix={props.prefix}>
      <input
        class="form-input"
        id={props.id}
        name={props.id}
        type={props.type ?? 'text'}
        maxlength={String(props.maxlength)}
        inputmode={props.inputmode}
        autocomplete="off"
        value={props.values[props.id] ?? ''}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(props.hint && `${props.id}-hint`, error && `${props.id}-error`)}
      />
    </FormField>
  );
}

/** /drift/styring/afsendere: every sender, and the form that creates one with its first administrator. */
export function OperatorSendersView(props: {
  lang: Lang;
  csrf: JSX.Element;
  senders: SenderListing[];
  created?: string | undefined;
  errors?: FieldErrors;
  values?: SenderFormValues;
}) {
  const { lang, errors = {}, values = {} } = props;
  const tr = translator(lang);
  const prefix = tr('onboard.errorPrefix');
  const order = [
    'cvr',
    'name',
    'kind',
    'municipalityCode',
    'contactEmail',
    'contactPhone',
    'adminSubject',
    'adminName',
  ];
  const wrong = order.filter((f) => errors[f]);
  const field = { values, errors, prefix };
  return (
    <>
      <BackLink href="/drift/styring" text={tr('onboard.senders.back')} />
      <PageHeader title={tr('onboard.senders.title')} lead={tr('onboard.senders.lead')} />
      {props.created ? (
        <Alert kind="success" role="status" text={tr('onboard.senders.created', { name: props.created })} />
      ) : (
        ''
      )}
      <h2 safe>{tr('onboard.senders.list')}</h2>
      {props.senders.length === 0 ? (
        <p safe>{tr('onboard.senders.none')}</p>
      ) : (
        <DataTable
          columns={[
            tr('onboard.senders.col.name'),
            tr('onboard.senders.col.cvr'),
            tr('onboard.senders.col.kind'),
            tr('onboard.senders.col.contact'),
            tr('onboard.senders.col.staff'),
          ]}
          class="kuvert-senders"
        >
          {props.senders.map((s) => (
            <tr>
              <td data-title={tr('onboard.senders.col.name')} safe>
                {s.name}
              </td>
              <td data-title={tr('onboard.senders.col.cvr')} safe>
                {s.cvr ?? '–'}
              </td>
              <td data-title={tr('onboard.senders.col.kind')} safe>
                {s.municipalityCode
                  ? `${tr(`onboard.kind.${s.kind}`)} (${s.municipalityCode})`
                  : tr(`onboard.kind.${s.kind}`)}
              </td>
              <td data-title={tr('onboard.senders.col.contact')} safe>
                {[s.contactEmail, s.contactPhone].filter(Boolean).join(', ') || '–'}
              </td>
              <td data-title={tr('onboard.senders.col.staff')} safe>
                {`${s.admins} / ${s.staff}`}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <h2 safe>{tr('onboard.senders.add')}</h2>
      {wrong.length ? (
        <ErrorSummary
          heading={tr('onboard.errorSummary')}
          headingId="sender-errors"
          items={wrong.map((f) => ({ href: `#${f}`, text: errors[f] ?? '' }))}
        />
      ) : (
        ''
      )}
      <form method="post" action="/drift/styring/afsendere" novalidate class="kuvert-sender-form">
        {props.csrf}
        <TextField id="cvr" label={tr('onboard.senders.cvr')} maxlength={8} inputmode="numeric" {...field} />
        <TextField id="name" label={tr('onboard.senders.name')} maxlength={200} {...field} />
        <FormField id="kind" label={tr('onboard.senders.kind')} error={errors.kind} errorPrefix={prefix}>
          <select class="form-select" id="kind" name="kind" aria-describedby={describedBy(errors.kind && 'kind-error')}>
            {kinds.map((kind) => (
              <option value={kind} selected={values.kind === kind} safe>
                {tr(`onboard.kind.${kind}`)}
              </option>
            ))}
          </select>
        </FormField>
        <TextField
          id="municipalityCode"
          label={tr('onboard.senders.municipality')}
          hint={tr('onboard.senders.municipality.hint')}
          maxlength={4}
          inputmode="numeric"
          {...field}
        />
        <TextField
          id="contactEmail"
          label={tr('onboard.senders.contactEmail')}
          type="email"
          maxlength={254}
          {...field}
        />
        <TextField id="contactPhone" label={tr('onboard.senders.contactPhone')} type="tel" maxlength={20} {...field} />
        <TextField id="adminSubject" label={tr('onboard.senders.adminSubject')} maxlength={255} {...field} />
        <TextField id="adminName" label={tr('onboard.senders.adminName')} maxlength={200} {...field} />
        <button type="submit" class="button button-primary" safe>
          {tr('onboard.senders.submit')}
        </button>
      </form>
    </>
  );
}
