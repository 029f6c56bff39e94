import { PipelineError } from '../errors';
import type { XmlElement } from './xml-tree';

/**
 * Reads one element of a kiwi description and remembers what it read, so that `finish()` can refuse whatever
 * is left: an attribute, child element or text the model does not carry is `image.unsupported-setting`, never
 * silently dropped. Malformed or missing values are `image.invalid-definition`. Errors name the file and the
 * element path, e.g. `image/preferences/type@foo`.
 */
export class ElementReader {
  private readonly readAttributes = new Set<string>();
  private readonly readChildren = new Set<string>();
  private textRead = false;

  constructor(
    private readonly element: XmlElement,
    readonly path: string,
    readonly file: string,
  ) {}

  /** Whether the attribute is there (without reading it). */
  has(name: string): boolean {
    return Object.hasOwn(this.element.attributes, name);
  }

  /** Whether a child element of that name is there (without reading it). */
  hasChild(name: string): boolean {
    return this.element.children.some((child) => child.name === name);
  }

  /** An attribute as written, if present. */
  string(name: string): string | undefined {
    this.readAttributes.add(name);
    return this.element.attributes[name];
  }

  required(name: string): string {
    const value = this.string(name);
    if (value === undefined || value.trim() === '') throw this.invalid(`${this.path}@${name}`, 'is required');
    return value;
  }

  /** xsd:boolean: `true`, `false`, `1` or `0`. */
  boolean(name: string): boolean | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    return this.parseBoolean(value, `${this.path}@${name}`);
  }

  /** A non-negative whole number. */
  integer(name: string): number | undefined {
    const value = this.string(name);
    return value === undefined ? undefined : this.parseInteger(value, `${this.path}@${name}`);
  }

  /** An attribute that must be one of `supported`; another value is `image.unsupported-setting`. */
  oneOf<T extends string>(name: string, supported: readonly T[]): T | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!(supported as readonly string[]).includes(value)) {
      throw this.unsupported(
        `${this.path}@${name}`,
        `value '${value}' is not supported (supported: ${supported.join(', ')})`,
        value,
      );
    }
    return value as T;
  }

  /** A comma-separated attribute (`profiles="a,b"`, `arch="x86_64,aarch64"`), empty items dropped. */
  list(name: string): string[] | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  /** Every child element called `name`, in document order. */
  children(name: string): ElementReader[] {
    this.readChildren.add(name);
    return this.element.children
      .filter((child) => child.name === name)
      .map((child) => new ElementReader(child, `${this.path}/${name}`, this.file));
  }

  /** The one child element called `name`; two of them is `image.invalid-definition`. */
  child(name: string): ElementReader | undefined {
    const found = this.children(name);
    if (found.length > 1) throw this.invalid(`${this.path}/${name}`, 'may appear only once here');
    return found[0];
  }

  /** The text of a child element that holds a value (`<version>0.1</version>`), if present. */
  childText(name: string): string | undefined {
    const child = this.child(name);
    if (child === undefined) return undefined;
    const text = child.text();
    child.finish();
    return text;
  }

  childBoolean(name: string): boolean | undefined {
    const text = this.childText(name);
    return text === undefined ? undefined : this.parseBoolean(text, `${this.path}/${name}`);
  }

  childInteger(name: string): number | undefined {
    const text = this.childText(name);
    return text === undefined ? undefined : this.parseInteger(text, `${this.path}/${name}`);
  }

  text(): string {
    this.textRead = true;
    return this.element.text;
  }

  integerText(): number {
    return this.parseInteger(this.text(), this.path);
  }

  /** Refuses the first attribute, child element or text that nothing read. Call after reading everything. */
  finish(): void {
    const attribute = Object.keys(this.element.attributes).find((name) => !this.readAttributes.has(name));
    if (attribute !== undefined) {
      throw this.unsupported(`${this.path}@${attribute}`, 'the image model does not carry this attribute');
    }
    const child = this.element.children.find((c) => !this.readChildren.has(c.name));
    if (child !== undefined) {
      throw this.unsupported(`${this.path}/${child.name}`, 'the image model does not carry this element');
    }
    if (!this.textRead && this.element.text !== '') {
      throw this.unsupported(this.path, 'this element holds no text in the image model');
    }
  }

  /** `image.invalid-definition` at `path` (default: this element). */
  invalid(path: string, problem: string): PipelineError {
    return PipelineError.permanent('image.invalid-definition', `${this.file}: ${path}: ${problem}`, {
      file: this.file,
      element: path,
    });
  }

  /** `image.unsupported-setting` at `path`. */
  unsupported(path: string, problem: string, value?: string): PipelineError {
    return PipelineError.permanent('image.unsupported-setting', `${this.file}: ${path}: ${problem}`, {
      file: this.file,
      element: path,
      ...(value !== undefined && { value }),
    });
  }

  private parseBoolean(value: string, path: string): boolean {
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    throw this.invalid(path, `'${value}' is not a boolean (true or false)`);
  }

  private parseInteger(value: string, path: string): number {
    if (!/^\d+$/.test(value.trim())) throw this.invalid(path, `'${value}' is not a whole number`);
    return Number(value.trim());
  }
}
