import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { html } from '../testing/snippets';
import DataTable from './DataTable.svelte';

describe('DataTable', () => {
  it('puts the heads in the header row and the rows in the body', () => {
    render(DataTable, {
      head: html('<th scope="col">Contract</th>'),
      children: html('<tr><th scope="row">Website redesign</th></tr>'),
    });

    const [header, row] = screen.getAllByRole('row');
    expect(within(header).getByRole('columnheader')).toHaveTextContent('Contract');
    expect(within(row).getByRole('rowheader')).toHaveTextContent('Website redesign');
    expect(header.parentElement?.tagName).toBe('THEAD');
    expect(row.parentElement?.tagName).toBe('TBODY');
  });
});
