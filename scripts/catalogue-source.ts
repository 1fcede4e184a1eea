// Shapes the API reference (spec/ros-api.json) into the catalogue the server ships. Kept separate from the
// writer so a test can rebuild it and compare with the committed file.
type SpecParam = {
  name: string;
  type: string;
  required: boolean;
  style: string;
  constraints?: Record<string, unknown>;
  members?: SpecParam[];
};

const KEPT_CONSTRAINTS = [
  'minLength', 'maxLength', 'pattern', 'maxItems', 'minItems', 'min', 'max', 'enum',
  'maxBytes', 'minBytes', 'keys', 'mutuallyExclusive', 'itemPattern', 'default',
];

function shapeParam(p: SpecParam): Record<string, unknown> {
  const constraints: Record<string, unknown> = {};
  for (const key of KEPT_CONSTRAINTS) {
    if (p.constraints && key in p.constraints) constraints[key] = p.constraints[key];
  }
  return {
    name: p.name,
    type: p.type,
    required: p.required,
    style: p.style,
    ...(Object.keys(constraints).length ? { constraints } : {}),
    ...(p.members ? { members: p.members.map(shapeParam) } : {}),
  };
}

export function buildCatalogue(spec: {
  apiVersion: string;
  regions: unknown[];
  actions: { action: string; params: SpecParam[] }[];
}): unknown {
  return {
    apiVersion: spec.apiVersion,
    regions: spec.regions,
    actions: Object.fromEntries(spec.actions.map((a) => [a.action, a.params.map(shapeParam)])),
  };
}
