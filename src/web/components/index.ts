/**
 * The view kit: DKFDS markup written once. Platform layer: imports nothing from src/modules.
 */
export { ActionForm } from './action-form.tsx';
export { Alert, type AlertKind, MessageAlert } from './alert.tsx';
export { describedBy, ErrorSummary, FieldError, FormField } from './form.tsx';
export { BackLink, PageHeader, Pager } from './navigation.tsx';
export { DataTable } from './table.tsx';
