/**
 * @earshot/agent-client/react: the plugin's React components. Each takes the SDK client as `client`;
 * import `@earshot/agent-client/react/plugin.css` for their look (themeable with --earshot-* properties).
 */
export { ConfirmDialog, type ConfirmDialogProps } from './ConfirmDialog.js';
export { HelpButton, type HelpButtonProps } from './HelpButton.js';
export { MonitoringNotice, type MonitoringNoticeProps } from './MonitoringNotice.js';
export { describeNotice, MODE_TEXT } from './noticeText.js';
export { askForNotifications, canAskForNotifications } from './osNotification.js';
export { RecordingIndicator, type RecordingIndicatorProps } from './RecordingIndicator.js';
export { formatClockTime, formatDuration } from './timeText.js';
export { useAgentState, useServerNow } from './useAgentState.js';
