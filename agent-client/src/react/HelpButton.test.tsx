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
  helpId: 'help-1',
  agent: { id: 7, name: 'Ava Adams' },
  callId: 'call-1',
  message: null,
  raisedAt: AT,
  acknowledgedBy: null,
  acknowledgedAt: null,
  endedAt: null,
  endReason: null,
};
const messageBox = () => screen.getByRole('textbox') as HTMLTextAreaElement;

afterEach(cleanup);

describe('HelpButton', () => {
  it('asks for help with a message, waits, names the supervisor on the way, and lets the agent cancel', async () => {
    const client = fakeAgentClient({ rights: agentRights });
    render(<HelpButton client={client} />);
    expect(screen.getByLabelText('Message for your supervisor (optional)')).toBe(messageBox());
    fireEvent.change(messageBox(), { target: { value: '  Refund over my limit ' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Ask for help' })));
    expect(client.requestHelp).toHaveBeenCalledWith('Refund over my limit');
    expect(messageBox().value).toBe('');

    client.serverHelp({ ...open, message: 'Refund over my limit' });
    expect(screen.queryByRole('button', { name: 'Ask for help' })).toBeNull();
    expect(screen.getByRole('status').textContent).toBe(`Waiting for a supervisor since ${formatClockTime(AT)}…`);
    expect(screen.getByText('Refund over my limit').closest('p')!.textContent).toBe('Your message: Refund over my limit');

    client.serverHelp({ ...open, acknowledgedBy: { id: 3, name: 'Ava Hill' }, acknowledgedAt: AT + 30_000 });
    expect(screen.getByRole('status').textContent).toBe(`Ava Hill is on the way (acknowledged at ${formatClockTime(AT + 30_000)}).`);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Cancel help request' })));
    expect(client.cancelHelp).toHaveBeenCalledTimes(1);

    client.serverHelp({
      ...open,
      acknowledgedBy: { id: 3, name: 'Ava Hill' },
      acknowledgedAt: AT + 30_000,
      endedAt: AT + 40_000,
      endReason: 'supervisor-left',
    });
    expect(screen.getByRole('status').textContent).toBe('Ava Hill left; ask again if you still need help.');
    expect(screen.getByRole('button', { name: 'Ask for help' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Cancel help request' })).toBeNull();
  });

  it('adds a message to an open request; a message over 200 characters is refused with a sentence and not sent', async () => {
    const client = fakeAgentClient({ rights: agentRights, help: open });
    render(<HelpButton client={client} />);
    expect((screen.getByRole('button', { name: 'Send message' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(messageBox(), { target: { value: 'y'.repeat(201) } });
    expect(screen.getByText('201 / 200')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Send message' })));
    expect(client.requestHelp).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toBe('The message to your supervisor can be at most 200 characters');
    fireEvent.change(messageBox(), { target: { value: 'He is calling back' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Send message' })));
    expect(client.requestHelp).toHaveBeenCalledWith('He is calling back');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says why the last request ended', () => {
    const client = fakeAgentClient({ rights: agentRights });
    render(<HelpButton client={client} />);
    const says = (help: Partial<HelpRequestView>) => {
      client.serverHelp({ ...open, ...help });
      return screen.getByRole('status').textContent;
    };
    expect(says({ endedAt: AT, endReason: 'cancelled' })).toBe('You cancelled your help request.');
    expect(says({ endedAt: AT, endReason: 'call-ended' })).toBe('Your help request ended with the call.');
    expect(says({ endedAt: AT, endReason: 'logged-out' })).toBe('Your help request ended when you logged out.');
    expect(says({ endedAt: AT, endReason: 'node-failed' })).toBe(
      'Your help request was lost when the server it was on stopped; ask again if you still need help.',
    );
  });

  it("ignores other agents' requests (a user who also supervises receives them)", () => {
    const client = fakeAgentClient({ rights: agentRights });
    render(<HelpButton client={client} />);
    client.serverHelp({ ...open, agent: { id: 8, name: 'Ben Baker' } });
    expect(screen.getByRole('status').textContent).toBe('');
    expect(screen.getByRole('button', { name: 'Ask for help' })).toBeTruthy();
  });

  it('is hidden without Handle Calls', () => {
    const client = fakeAgentClient({ rights: { ...agentRights, rights: ['phoneState.view'] } });
    const { container } = render(<HelpButton client={client} />);
    expect(container.innerHTML).toBe('');
  });
});
