import { beforeEach, describe, expect, it } from 'vitest';
import { landingView, loadIntent, rolesOf, saveIntent, viewsFor } from './roles';

const c = (role: string, state: string) => ({ role, state });

describe('rolesOf', () => {
  it('reads the roles from the contracts, whatever their state', () => {
    expect(rolesOf([])).toEqual({ employer: false, contractor: false });
    expect(rolesOf([c('employer', 'ended')])).toEqual({ employer: true, contractor: false });
    expect(rolesOf([c('contractor', 'offered'), c('employer', 'active')])).toEqual({ employer: true, contractor: true });
  });

  it('adds the role chosen at the start', () => {
    expect(rolesOf([], 'employer')).toEqual({ employer: true, contractor: false });
    expect(rolesOf([c('contractor', 'active')], 'employer')).toEqual({ employer: true, contractor: true });
    expect(rolesOf([], 'both')).toEqual({ employer: true, contractor: true });
  });
});

describe('viewsFor', () => {
  it('shows each role its screens', () => {
    expect(viewsFor({ employer: false, contractor: false })).toEqual(['contracts', 'settings']);
    expect(viewsFor({ employer: true, contractor: false })).toEqual(['contracts', 'team', 'timesheets', 'settings']);
    expect(viewsFor({ employer: false, contractor: true })).toEqual([
      'tracker',
      'diary',
      'contracts',
      'timesheets',
      'settings',
    ]);
    expect(viewsFor({ employer: true, contractor: true })).toHaveLength(6);
  });
});

describe('landingView', () => {
  it('opens where the work is', () => {
    const both = { employer: true, contractor: true };
    expect(landingView([], { employer: false, contractor: false })).toBe('contracts');
    expect(landingView([c('employer', 'active')], { employer: true, contractor: false })).toBe('team');
    expect(landingView([c('employer', 'offered')], { employer: true, contractor: false })).toBe('team');
    expect(landingView([c('contractor', 'active')], { employer: false, contractor: true })).toBe('tracker');
    expect(landingView([c('contractor', 'ended')], { employer: false, contractor: true })).toBe('contracts');
    expect(landingView([c('contractor', 'ended'), c('employer', 'active')], both)).toBe('team');
    expect(landingView([c('contractor', 'accepted-pending-delivery'), c('employer', 'active')], both)).toBe('tracker');
  });
});

describe('intent', () => {
  beforeEach(() => localStorage.clear());

  it('is kept per identity', () => {
    saveIntent('SHA256:one', 'employer');
    expect(loadIntent('SHA256:one')).toBe('employer');
    expect(loadIntent('SHA256:two')).toBe('');
    expect(loadIntent(undefined)).toBe('');
  });
});
