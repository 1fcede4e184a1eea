// Time is injected everywhere so that tests and the engine agree on "now".
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

// ROS bodies use UTC `YYYY-MM-DDThh:mm:ss` without a zone suffix (ros-api.md §1.5).
export function rosTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}
