// The screens of the app shell, in sidebar order.
export const VIEWS = [
  { id: 'tracker', label: 'Tracker' },
  { id: 'diary', label: 'Diary' },
  { id: 'contracts', label: 'Contracts' },
  { id: 'team', label: 'Team' },
  { id: 'timesheets', label: 'Timesheets' },
  { id: 'settings', label: 'Settings' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];
