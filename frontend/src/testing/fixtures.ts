// Identity DTOs shaped like what app.IdentityAPI returns, for tests.
import type { Identity } from '../stores/identity.svelte';

export function noIdentity(): Identity {
  return {
    exists: false,
    name: '',
    peer_id: '',
    fingerprint: '',
    ssh_public_key: '',
    data_folder: '/home/ada/.local/share/workdiary',
  } as Identity;
}

export function someIdentity(name = 'Ada Lovelace'): Identity {
  return {
    exists: true,
    name,
    peer_id: '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo',
    fingerprint: 'SHA256:3q2+7w/1zNoQk5aG0m9Yb8dQ0sT1yqk4hR2cW6vQeLs',
    ssh_public_key:
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGp8tq3xq0Yc9l1t2Qm0mJmQ0oWm9Jf6oVb8n3rJt5sQ workdiary:' +
      name,
    data_folder: '/home/ada/.local/share/workdiary',
  } as Identity;
}
