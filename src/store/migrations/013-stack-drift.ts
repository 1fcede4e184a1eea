// Drift detection of single stacks and resources (issue 12). A resource keeps the result of its
// last check (status, time, the properties expected and found) beside the drift the control plane
// put on it, now with the property values found outside ROS (`drift_properties`); each
// DetectStackDrift is a detection that GetStackDriftDetectionStatus reads back.
export const STACK_DRIFT_SCHEMA = `
ALTER TABLE stack_resources ADD COLUMN drift_properties TEXT;
ALTER TABLE stack_resources ADD COLUMN drift_status TEXT;
ALTER TABLE stack_resources ADD COLUMN drift_detection_time TEXT;
ALTER TABLE stack_resources ADD COLUMN drift_expected TEXT;
ALTER TABLE stack_resources ADD COLUMN drift_actual TEXT;

CREATE TABLE stack_drift_detections (
  id TEXT PRIMARY KEY,
  stack_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  region_id TEXT NOT NULL,
  status TEXT NOT NULL,
  status_reason TEXT NOT NULL,
  stack_drift_status TEXT NOT NULL,
  drifted_count INTEGER NOT NULL,
  detection_time TEXT NOT NULL
);
`;
