import { errorText } from '../../http/errors.ts';
import {
  ActionForm,
  Alert,
  DataTable,
  describedBy,
  ErrorSummary,
  FormField,
  PageHeader,
} from '../../web/components/index.ts';
import { type Lang, translator } from '../../web/i18n.ts';
import type { SenderStaffMember } from '../identity/index.ts';
import { PortalNav } from './portal-nav.tsx';

export type StaffNotice = 'added' | 'changed' | 'removed';

/** A field's error text in the page language (the identity module's catalogue), keyed by form field. */
export type FieldErrors = Partial<Record<string, string>>;

export const fieldErrorsOf = (lang: Lang, problems: { field: string; code: string }[]): FieldErrors =>
  Object.fromEntries(problems.map((p) => [p.field, errorText(p.code, lang) ?? p.code]));

/** /afsender/medarbejdere: the sender's staff; administrators add, change role and remove. */
export function StaffView(props: {
  lang: Lang;
  csrf: JSX.Element;
  staff: SenderStaffMember[];
  viewerId: string;
  mayManage: boolean;
  notice?: StaffNotice | undefined;
  /** A refused action's message (e.g. last administrator), shown above the list. */
  refused?: string | undefined;
  errors?: FieldErrors;
  values?: { subject?: string; name?: string; role?: string };
}) {
  const { lang, errors = {}, values = {} } = props;
  const tr = translator(lang);
  const roleText = (role: string) => tr(role === 'admin' ? 'onboard.role.admin' : 'onboard.role.staff');
  const fields = ['subject', 'name', 'role'].filter((f) => errors[f]);
  return (
    <>
      <PageHeader title={tr('onboard.staff.title')} lead={tr('onboard.staff.lead')} />
      <PortalNav lang={lang} current="staff" />
      {props.notice ? <Alert kind="success" role="status" text={tr(`onboard.staff.${props.notice}`)} /> : ''}
      {props.refused ? <Alert kind="error" role="alert" text={props.refused} /> : ''}
      {!props.mayManage ? <Alert kind="info" role="note" text={tr('onboard.staff.readOnly')} /> : ''}
      <h2 safe>{tr('onboard.staff.list')}</h2>
      <DataTable
        columns={[
          tr('onboard.staff.col.name'),
          tr('onboard.staff.col.subject'),
          tr('onboard.staff.col.role'),
          ...(props.mayManage ? [tr('onboard.staff.col.action')] : []),
        ]}
        class="kuvert-staff"
      >
        {props.staff.map((member) => (
          <tr>
            <td data-title={tr('onboard.staff.col.name')} safe>
              {member.id === props.viewerId ? `${member.name} ${tr('onboard.staff.you')}` : member.name}
            </td>
            <td data-title={tr('onboard.staff.col.subject')}>
              <code safe>{member.subject}</code>
            </td>
            <td data-title={tr('onboard.staff.col.role')} safe>
              {roleText(member.role)}
            </td>
            {props.mayManage ? (
              <td data-title={tr('onboard.staff.col.action')}>
                <div class="kuvert-staff-actions">
                  <ActionForm
                    action={`/afsender/medarbejdere/${member.id}/rolle`}
                    csrf={props.csrf}
                    hidden={{ role: member.role === 'admin' ? 'staff' : 'admin' }}
                    text={tr(member.role === 'admin' ? 'onboard.staff.makeStaff' : 'onboard.staff.makeAdmin')}
                    ariaLabel={tr('onboard.staff.changeLabel', {
                      action: tr(member.role === 'admin' ? 'onboard.staff.makeStaff' : 'onboard.staff.makeAdmin'),
                      name: member.name,
                    })}
                  />
                  <ActionForm
                    action={`/afsender/medarbejdere/${member.id}/fjern`}
                    csrf={props.csrf}
                    text={tr('onboard.staff.remove')}
                    ariaLabel={tr('onboard.staff.removeLabel', { name: member.name })}
                  />
                </div>
              </td>
            ) : (
              ''
            )}
          </tr>
        ))}
      </DataTable>
      {props.mayManage ? (
        <>
          <h2 safe>{tr('onboard.staff.add')}</h2>
          {fields.length ? (
            <ErrorSummary
              heading={tr('onboard.errorSummary')}
              headingId="staff-errors"
              items={fields.map((f) => ({ href: `#${f}`, text: errors[f] ?? '' }))}
            />
          ) : (
            ''
          )}
          <form method="post" action="/afsender/medarbejdere" novalidate>
            {props.csrf}
            <FormField
              id="subject"
              label={tr('onboard.staff.subject')}
              hint={tr('onboard.staff.subject.hint')}
              error={errors.subject}
              errorPrefix={tr('onboard.errorPrefix')}
            >
              <input
                class="form-input"
                id="subject"
                name="subject"
                type="text"
                maxlength="255"
                autocomplete="off"
                value={values.subject ?? ''}
                aria-invalid={errors.subject ? 'true' : undefined}
                aria-describedby={describedBy('subject-hint', errors.subject && 'subject-error')}
              />
            </FormField>
            <FormField
              id="name"
              label={tr('onboard.staff.name')}
              error={errors.name}
              errorPrefix={tr('onboard.errorPrefix')}
            >
              <input
                class="form-input"
                id="name"
                name="name"
                type="text"
                maxlength="200"
                autocomplete="off"
                value={values.name ?? ''}
                aria-invalid={errors.name ? 'true' : undefined}
                aria-describedby={describedBy(errors.name && 'name-error')}
              />
            </FormField>
            <FormField
              id="role"
              label={tr('onboard.staff.role')}
              error={errors.role}
              errorPrefix={tr('onboard.errorPrefix')}
            >
              <select
                class="form-select"
                id="role"
                name="role"
                aria-describedby={describedBy(errors.role && 'role-error')}
              >
                <option value="staff" selected={values.role !== 'admin'} safe>
                  {tr('onboard.role.staff')}
                </option>
                <option value="admin" selected={values.role === 'admin'} safe>
                  {tr('onboard.role.admin')}
                </option>
              </select>
            </FormField>
            <button type="submit" class="button button-primary" safe>
              {tr('onboard.staff.submit')}
            </button>
          </form>
          {/* LATER (issue 17): the administrators' "Systemer" (system_client) and "På vegne af" pages link from here
              and from portal-nav.tsx. */}
        </>
      ) : (
        ''
      )}
    </>
  );
}
