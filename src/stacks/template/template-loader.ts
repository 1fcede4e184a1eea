// The templates one server works with: checked against its resource limit (config
// `limits.resourcesPerStack`) and parsed once per body. Services creates one per server, so two
// servers in one process (the in-process `startLocalRos` case) share neither the limit nor the
// parsed templates, and a reset starts from an empty cache.
import { ApiError } from '../../protocol/errors.ts';
import { inSlices } from '../run/sliced.ts';
import { DEFAULT_MAX_RESOURCES, loadTemplate, type Template } from './index.ts';
import { parseTemplateWith, readYaml, type Reading } from './parse.ts';
import { validateTemplateSteps } from './validate.ts';
import { readYamlOffLoop } from './yaml-thread.ts';

const MAX_ENTRIES = 32;
// YAML costs ~1 ms of CPU per KiB to parse: below this size it is read on the event loop, where
// it takes a few milliseconds, less than the thread's round trip (and its start, the first time).
const YAML_THREAD_MIN_CHARS = 4096;

const readYamlAsync = async (body: string): Promise<Reading> => (body.length < YAML_THREAD_MIN_CHARS ? readYaml(body) : readYamlOffLoop(body));

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
    return this.parsed.get(body) ?? this.keep(body, this.load(body));
  }

  /**
   * load() without holding the event loop: YAML is parsed on another thread (yaml-thread.ts) and
   * the template validated in slices that hand the event loop back (issue 18: checking a
   * 3,000-resource template takes 5–20 ms, parsing it as YAML about a second). For a request
   * that checks a large template before it answers; never inside a transaction.
   */
  async loadChecked(body: string): Promise<Template> {
    const template = await parseTemplateWith(body, readYamlAsync);
    await inSlices(validateTemplateSteps(template, { maxResources: this.maxResources }));
    return template;
  }

  /** loadChecked(), kept by body as cached() keeps it. */
  async checked(body: string): Promise<Template> {
    const hit = this.parsed.get(body);
    if (hit) return hit;
    const template = await this.loadChecked(body);
    return this.parsed.get(body) ?? this.keep(body, template);
  }

  /**
   * Checks a body ahead, in slices (checked()), for a request that reads it with cached() inside
   * its transaction: a template error is left to that read, so that the request's other checks
   * keep their order.
   */
  async prepare(body: string): Promise<void> {
    try {
      await this.checked(body);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  private keep(body: string, template: Template): Template {
    this.parsed.set(body, template);
    // The oldest entry goes first; an operation's targets all run within its lifetime.
    if (this.parsed.size > MAX_ENTRIES) this.parsed.delete(this.parsed.keys().next().value!);
    return template;
  }

  clear(): void {
    this.parsed.clear();
  }
}
