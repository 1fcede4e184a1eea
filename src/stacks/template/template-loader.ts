// The templates one server works with: checked against its resource limit (config
// `limits.resourcesPerStack`) and parsed once per body. Services creates one per server, so two
// servers in one process (the in-process `startLocalRos` case) share neither the limit nor the
// parsed templates, and a reset starts from an empty cache.
import { DEFAULT_MAX_RESOURCES, loadTemplate, type Template } from './index.ts';

const MAX_ENTRIES = 32;

export class TemplateLoader {
  // Parsed templates by body. Every target of an operation deploys the same frozen body, so the
  // engine parses and validates it once per operation instead of once per target. Templates are
  // never mutated by the library, so sharing one object is safe.
  private readonly parsed = new Map<string, Template>();

  constructor(readonly maxResources: number = DEFAULT_MAX_RESOURCES) {}

  /** Parses and validates a body, without keeping it (ValidateTemplate, the template library). */
  load(body: string): Template {
    return loadTemplate(body, { maxResources: this.maxResources });
  }

  /** The same, kept by body: for the bodies that stacks and operations deploy again and again. */
  cached(body: string): Template {
    const hit = this.parsed.get(body);
    if (hit) return hit;
    const template = this.load(body);
    this.parsed.set(body, template);
    // The oldest entry goes first; an operation's targets all run within its lifetime.
    if (this.parsed.size > MAX_ENTRIES) this.parsed.delete(this.parsed.keys().next().value!);
    return template;
  }

  clear(): void {
    this.parsed.clear();
  }
}
