// @vitest-environment happy-dom
import type { HelpRequestView, MeRights } from '@earshot/shared';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { HelpButton } from './HelpButton.js';
import { fakeAgentClient } from './testing/fakeAgentClient.js';
import { formatClockTime } from './timeText.js';

const AT = 1_800_000_000_000;
const agentRights: MeRights = { userId: 7, profileId: 1, profileName: 'Agent', rights: ['calls.handle', 'phoneState.view'], scope: 'own' };
const open: HelpRequestView = {
  helpId: 'help-1', agent: { id: 7, name: 'Ava Adams' }, callId: 'call-1', message: null, raisedAt: AT, acknowledgedBy: null, acknowledgedAt: null,
};

afterEach(cleanup);

describe('HelpButton', () => {
  it('asks for help, waits, then names the supervisor who acknowledged', async () => {
    const client = fakeAgentClient({ rights: agentRights });
    render(<HelpButton client={client} />);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Ask for help' })));
    expect(client.requestHelp).toHaveBeenCalledTimes(1);

    client.serverHelp(open);
    expect(screen.getByRole('button').textContent).toBe('Help requested');
    expect((screen.getByRole('button') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('status').textContent).toBe(`Waiting for a supervisor since ${formatClockTime(AT)}…`);

    client.serverHelp({ ...open, acknowledgedBy: { id: 3, name: 'Ava Hill' }, acknowledgedAt: AT + 30_000 });
    expect(screen.getByRole('status').textContent).toBe(`Ava Hill is on the way (acknowledged at ${formatClockTime(AT + 30_000)}).`);
    expect((screen.getByRole('button', { name: 'Ask for help' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it("ignores other agents' requests (a user who also supervises receives them)", () => {
    const client = fakeAgentClient({ rights: agentRights });
    render(<HelpButton client={client} />);
    client.serverHelp({ ...open, agent: { id: 8, name: 'Ben Baker' } });
    expect(screen.getByRole('status').textContent).toBe('');
    expect(screen.getByRole('button').textContent).toBe('Ask for help');
  });

  it('is hidden without Handle Calls', () => {
    const client = fakeAgentClient({ rights: { ...agentRights, rights: ['phoneState.view'] } });
    const { container } = render(<HelpButton client={client} />);
    expect(container.innerHTML).toBe('');
  });
});
