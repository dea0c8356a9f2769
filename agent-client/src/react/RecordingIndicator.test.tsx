// @vitest-environment happy-dom
import type { AgentPhoneState, MeRights, RecordingState, RightId } from '@earshot/shared';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentClientError } from '../sdk/agentClientError.js';
import { RecordingIndicator } from './RecordingIndicator.js';
import { EVERY_CAPABILITY, fakeAgentClient } from './testing/fakeAgentClient.js';

const AT = 1_800_000_000_000;
const onCall = (recording: RecordingState): AgentPhoneState => ({
  userId: 7,
  state: 'talking',
  notReadyReason: null,
  since: AT,
  call: { callId: 'call-1', direction: 'inbound', remoteNumberMasked: '+1••••1234', queue: 'Billing', startedAt: AT, recording, supervisions: [] },
});
const rightsOf = (...rights: RightId[]): MeRights => ({ userId: 7, profileId: 1, profileName: 'Agent', rights, scope: 'own' });
const AGENT_RIGHTS = rightsOf('calls.handle', 'phoneState.view', 'recording.initiate', 'recording.pause');

const label = () => document.querySelector('.earshot-recording__label')!.textContent;
const buttons = () => screen.queryAllByRole('button').map((b) => b.textContent);

afterEach(cleanup);

describe('RecordingIndicator', () => {
  it('shows nothing off a call', () => {
    const client = fakeAgentClient({ rights: AGENT_RIGHTS, phone: { ...onCall('off'), state: 'available', call: null } });
    const { container } = render(<RecordingIndicator client={client} />);
    expect(container.innerHTML).toBe('');
  });

  it('pauses only after the agent confirms; Cancel sends nothing', async () => {
    const client = fakeAgentClient({ rights: AGENT_RIGHTS, phone: onCall('on') });
    render(<RecordingIndicator client={client} />);
    expect(label()).toBe('Recording');

    fireEvent.click(screen.getByRole('button', { name: 'Pause for card payment' }));
    expect(screen.getByRole('alertdialog', { name: 'Pause the recording?' }).textContent).toContain('supervisors listening hear silence');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(client.pauseRecording).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Pause for card payment' }));
    fireEvent.click(screen.getByRole('button', { name: 'Pause recording' }));
    expect(client.pauseRecording).toHaveBeenCalledTimes(1);
    await screen.findByRole('button', { name: 'Pause for card payment' }); // the dialog closed after the answer
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('resumes after confirming, and names who paused', async () => {
    const client = fakeAgentClient({ rights: AGENT_RIGHTS, phone: onCall('paused') });
    render(<RecordingIndicator client={client} />);
    client.serverRecording({ callId: 'call-1', state: 'paused', by: { id: 3, name: 'Ava Hill' }, at: AT });
    expect(label()).toBe('Recording paused by Ava Hill');
    client.serverRecording({ callId: 'call-1', state: 'paused', by: { id: 7, name: 'Ava Adams' }, at: AT });
    expect(label()).toBe('Recording paused by you');

    fireEvent.click(screen.getByRole('button', { name: 'Resume recording' }));
    fireEvent.click(screen.getByRole('alertdialog', { name: 'Resume the recording?' }).querySelector('.earshot-button--primary')!);
    expect(client.resumeRecording).toHaveBeenCalledTimes(1);
    expect(client.pauseRecording).not.toHaveBeenCalled();
    await screen.findByRole('button', { name: 'Resume recording' });
  });

  it('hides pause and resume without Pause User Recording; the state still shows, and Initiate User Recording stops it', () => {
    const client = fakeAgentClient({ rights: rightsOf('calls.handle', 'phoneState.view', 'recording.initiate'), phone: onCall('on') });
    render(<RecordingIndicator client={client} />);
    expect(label()).toBe('Recording');
    expect(buttons()).toEqual(['Stop recording']);
    client.serverSetState({ phone: onCall('paused') });
    expect(label()).toBe('Recording paused');
    expect(buttons()).toEqual(['Stop recording']);
    fireEvent.click(screen.getByRole('button', { name: 'Stop recording' }));
    expect(client.stopRecording).toHaveBeenCalledTimes(1);
  });

  it('the controls follow the rights as they change (me:rights)', () => {
    const client = fakeAgentClient({ rights: AGENT_RIGHTS, phone: onCall('on') });
    render(<RecordingIndicator client={client} />);
    expect(buttons()).toEqual(['Pause for card payment', 'Stop recording']);
    client.serverSetState({ rights: rightsOf('calls.handle', 'phoneState.view') });
    expect(buttons()).toEqual([]);
  });

  it('on a telephony platform that cannot record, offers no control and says why to an agent who holds the rights', () => {
    const platform = { ...EVERY_CAPABILITY, name: 'asterisk', recording: false };
    const client = fakeAgentClient({ rights: AGENT_RIGHTS, phone: onCall('off'), platform });
    render(<RecordingIndicator client={client} />);
    expect(buttons()).toEqual([]);
    expect(document.querySelector('.earshot-recording__note')!.textContent).toBe(
      'Recording is not controlled here: the telephony platform (asterisk) does not let Earshot record calls',
    );
    cleanup();
    const withoutRights = fakeAgentClient({ rights: rightsOf('calls.handle', 'phoneState.view'), phone: onCall('off'), platform });
    render(<RecordingIndicator client={withoutRights} />);
    expect(document.querySelector('.earshot-recording__note')).toBeNull();
  });

  it('offers Start recording to holders of Initiate User Recording', () => {
    const client = fakeAgentClient({ rights: AGENT_RIGHTS, phone: onCall('off') });
    render(<RecordingIndicator client={client} />);
    expect(label()).toBe('Not recorded');
    fireEvent.click(screen.getByRole('button', { name: 'Start recording' }));
    expect(client.startRecording).toHaveBeenCalledTimes(1);
  });

  it('shows a failed recording (the server could not write it) and offers to start again; the failure names nobody', () => {
    const client = fakeAgentClient({ rights: AGENT_RIGHTS, phone: onCall('on') });
    render(<RecordingIndicator client={client} />);
    client.serverSetState({ phone: onCall('failed') });
    client.serverRecording({ callId: 'call-1', state: 'failed', by: null, at: AT });
    expect(label()).toBe('Recording failed: not recorded');
    expect(document.querySelector('.earshot-recording')!.getAttribute('data-state')).toBe('failed');
    expect(buttons()).toEqual(['Start recording again']);
    fireEvent.click(screen.getByRole('button', { name: 'Start recording again' }));
    expect(client.startRecording).toHaveBeenCalledTimes(1);
    expect(client.pauseRecording).not.toHaveBeenCalled();
  });

  it("shows the server's refusal", async () => {
    const client = fakeAgentClient({ rights: AGENT_RIGHTS, phone: onCall('on') });
    client.pauseRecording.mockRejectedValueOnce(
      new AgentClientError('FORBIDDEN', 'Your profile (No Pause Agent) does not hold Pause User Recording (recording.pause)') as never,
    );
    render(<RecordingIndicator client={client} />);
    fireEvent.click(screen.getByRole('button', { name: 'Pause for card payment' }));
    fireEvent.click(screen.getByRole('button', { name: 'Pause recording' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Your profile (No Pause Agent) does not hold Pause User Recording (recording.pause)');
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });
});
