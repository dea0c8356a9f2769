/**
 * @earshot/agent-client/react: the plugin's React components. Each takes the SDK client as `client`;
 * import `@earshot/agent-client/react/plugin.css` for their look (themeable with --earshot-* properties).
 */
export { ConfirmDialog, type ConfirmDialogProps } from './ConfirmDialog.js';
export { HelpButton, type HelpButtonProps } from './HelpButton.js';
export { MonitoringHistoryButton, type MonitoringHistoryButtonProps } from './MonitoringHistoryButton.js';
export { historyErrorText, MONITORING_HISTORY_TITLE, MonitoringHistoryView, type MonitoringHistoryViewProps } from './MonitoringHistoryView.js';
export { MonitoringNotice, type MonitoringNoticeProps } from './MonitoringNotice.js';
export { describeNotice, MODE_TEXT, modesText } from './noticeText.js';
export { askForNotifications, canAskForNotifications } from './osNotification.js';
export { RecordingIndicator, type RecordingIndicatorProps } from './RecordingIndicator.js';
export { formatClockTime, formatDateTime, formatDuration, formatDurationWords } from './timeText.js';
export { useAgentState, useServerNow } from './useAgentState.js';
