import type * as t from 'io-ts';
import { codecDescriptions } from '@conference/kernel';

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1). */
export type JsonSchema = { readonly [key: string]: unknown };

/**
 * JSON Schemas for codecs the converter cannot see into (hand-written `new t.Type(...)` outside the
 * kernel, e.g. a query-string integer). Register them next to the codec; unregistered opaque
 * codecs are documented as "any value" with their name, which is true but unhelpful.
 */
const schemaOverrides = new WeakMap<object, JsonSchema>();
export function describeSchema<C extends object>(codec: C, schema: JsonSchema): C {
  schemaOverrides.set(codec, schema);
  return codec;
}

/** Where named object schemas go (`#/components/schemas/<name>`), so each shape is written once. */
export interface SchemaComponents {
  /** Returns the component name for a codec, registering its schema on first sight. */
  refFor(codec: t.Mixed, build: () => JsonSchema): string;
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
const MAX_DEPTH = 32;

/** A codec as io-ts builds it: every built-in codec class has a `_tag`. */
type AnyCodec = t.Mixed & { readonly _tag?: string };

/**
 * The JSON Schema of what a codec accepts. Kernel codecs are described by what they mean
 * (codecDescriptions: uuid, date-time, email, bounded strings and integers, strict objects);
 * io-ts built-ins by their structure; refinements and brands by the type they refine.
 */
export function toJsonSchema(codec: t.Mixed, components?: SchemaComponents, depth = 0): JsonSchema {
  if (depth > MAX_DEPTH) return { description: `${codec.name} (nested too deeply to describe)` };
  const override = schemaOverrides.get(codec);
  if (override) return override;
  const next = (inner: t.Mixed) => toJsonSchema(inner, components, depth + 1);

  const described = codecDescriptions.get(codec);
  if (described) {
    switch (described.kind) {
      case 'uuid': return { type: 'string', format: 'uuid' };
      case 'date-time': return { type: 'string', format: 'date-time' };
      case 'email': return { type: 'string', format: 'email', maxLength: 254 };
      case 'string': return { type: 'string', minLength: described.min, maxLength: described.max };
      case 'int': return { type: 'integer', minimum: described.min, maximum: described.max };
      case 'strictObject':
        return named(codec, components, () => objectSchema(
          { ...mapProps(described.required, next), ...mapProps(described.optional, next) },
          Object.keys(described.required),
          false,
        ));
    }
  }

  const c = codec as AnyCodec;
  switch (c._tag) {
    case 'StringType': return { type: 'string' };
    case 'NumberType': return { type: 'number' };
    case 'BigIntType': return { type: 'integer' };
    case 'BooleanType': return { type: 'boolean' };
    case 'NullType': return { type: 'null' };
    case 'UnknownType':
    case 'AnyType': return {};
    case 'NeverType': return { not: {} };
    case 'AnyArrayType': return { type: 'array' };
    case 'AnyDictionaryType':
    case 'ObjectType': return { type: 'object' };
    case 'LiteralType': return { const: (codec as unknown as t.LiteralC<string | number | boolean>).value };
    case 'KeyofType': return { type: 'string', enum: Object.keys((codec as unknown as t.KeyofC<Record<string, unknown>>).keys) };
    case 'ArrayType':
    case 'ReadonlyArrayType': return { type: 'array', items: next((codec as unknown as t.ArrayC<t.Mixed>).type) };
    case 'TupleType': {
      const types = (codec as unknown as t.TupleType<t.Mixed[]>).types;
      return { type: 'array', prefixItems: types.map(next), minItems: types.length, maxItems: types.length };
    }
    case 'ReadonlyType': return next((codec as unknown as t.ReadonlyC<t.Mixed>).type);
    case 'ExactType': {
      const inner = (codec as unknown as t.ExactC<t.HasProps>).type as t.Mixed;
      return IDENTIFIER.test(codec.name) && codec.name !== inner.name ? named(codec, components, () => inlineOf(inner, next)) : next(inner);
    }
    case 'InterfaceType':
    case 'StrictType': {
      const props = (codec as unknown as t.InterfaceType<t.Props>).props;
      const required = Object.keys(props).filter((key) => !acceptsUndefined(props[key]!));
      return named(codec, components, () => objectSchema(mapProps(props, next), required, true));
    }
    case 'PartialType':
      return named(codec, components, () => objectSchema(mapProps((codec as unknown as t.PartialType<t.Props>).props, next), [], true));
    case 'IntersectionType':
      return named(codec, components, () => intersectionSchema((codec as unknown as t.IntersectionType<t.Mixed[]>).types, next));
    case 'UnionType': return unionSchema((codec as unknown as t.UnionType<t.Mixed[]>).types, next);
    case 'DictionaryType': {
      const dict = codec as unknown as t.DictionaryType<t.Mixed, t.Mixed>;
      const keys = next(dict.domain);
      const anyString = keys['type'] === 'string' && Object.keys(keys).length === 1;
      return { type: 'object', ...(anyString ? {} : { propertyNames: keys }), additionalProperties: next(dict.codomain) };
    }
    case 'RefinementType': {
      // t.Int is the one built-in refinement with a JSON Schema word of its own.
      if (codec.name === 'Int') return { type: 'integer' };
      return next((codec as unknown as t.RefinementType<t.Mixed>).type);
    }
    case 'RecursiveType': return next((codec as unknown as t.RecursiveType<t.Mixed>).type);
    default:
      return { description: `${codec.name} (not described; see describeSchema)` };
  }
}

function named(codec: t.Mixed, components: SchemaComponents | undefined, build: () => JsonSchema): JsonSchema {
  if (!components || !IDENTIFIER.test(codec.name)) return build();
  return { $ref: `#/components/schemas/${components.refFor(codec, build)}` };
}

/** The schema of `codec` without registering it under its own name (the exact wrapper takes the name). */
function inlineOf(codec: t.Mixed, next: (c: t.Mixed) => JsonSchema): JsonSchema {
  const c = codec as AnyCodec;
  if (c._tag === 'InterfaceType') {
    const props = (codec as unknown as t.InterfaceType<t.Props>).props;
    return objectSchema(mapProps(props, next), Object.keys(props).filter((k) => !acceptsUndefined(props[k]!)), true);
  }
  if (c._tag === 'PartialType') return objectSchema(mapProps((codec as unknown as t.PartialType<t.Props>).props, next), [], true);
  if (c._tag === 'IntersectionType') return intersectionSchema((codec as unknown as t.IntersectionType<t.Mixed[]>).types, next);
  return next(codec);
}

function mapProps(props: t.Props, next: (c: t.Mixed) => JsonSchema): Record<string, JsonSchema> {
  return Object.fromEntries(Object.entries(props).map(([key, codec]) => [key, next(stripUndefined(codec))]));
}

function objectSchema(properties: Record<string, JsonSchema>, required: readonly string[], additional: boolean): JsonSchema {
  return {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required: [...required] } : {}),
    ...(additional ? {} : { additionalProperties: false }),
  };
}

/** An intersection of plain objects is one object; anything else is allOf. */
function intersectionSchema(types: readonly t.Mixed[], next: (c: t.Mixed) => JsonSchema): JsonSchema {
  const parts = types.map((type) => inlineOf(type, next));
  if (parts.every((p) => p['type'] === 'object' && p['properties'] && !p['$ref'])) {
    return {
      type: 'object',
      properties: Object.assign({}, ...parts.map((p) => p['properties'])),
      ...(() => {
        const required = parts.flatMap((p) => (p['required'] as string[] | undefined) ?? []);
        return required.length > 0 ? { required: [...new Set(required)] } : {};
      })(),
    };
  }
  return { allOf: parts };
}

function unionSchema(types: readonly t.Mixed[], next: (c: t.Mixed) => JsonSchema): JsonSchema {
  const members = types.filter((type) => (type as AnyCodec)._tag !== 'UndefinedType' && (type as AnyCodec)._tag !== 'VoidType');
  if (members.length === 1) return next(members[0]!);
  if (members.length > 0 && members.every((m) => (m as AnyCodec)._tag === 'LiteralType')) {
    return { enum: members.map((m) => (m as unknown as t.LiteralC<string | number | boolean>).value) };
  }
  return { anyOf: members.map(next) };
}

/** `t.union([X, t.undefined])` in a `t.type` means an optional key. */
function acceptsUndefined(codec: t.Mixed): boolean {
  const c = codec as AnyCodec;
  if (c._tag === 'UndefinedType' || c._tag === 'VoidType' || c._tag === 'UnknownType' || c._tag === 'AnyType') return true;
  if (c._tag === 'UnionType') return (codec as unknown as t.UnionType<t.Mixed[]>).types.some(acceptsUndefined);
  return false;
}

function stripUndefined(codec: t.Mixed): t.Mixed {
  const c = codec as AnyCodec;
  if (c._tag !== 'UnionType') return codec;
  const types = (codec as unknown as t.UnionType<t.Mixed[]>).types.filter((m) => (m as AnyCodec)._tag !== 'UndefinedType' && (m as AnyCodec)._tag !== 'VoidType');
  return types.length === 1 ? types[0]! : codec;
}

/**
 * The top-level fields of an object codec, for query and path parameters: name, whether
 * required, and the codec of each. Undefined for codecs that are not objects.
 */
export function fieldsOf(codec: t.Mixed): { readonly name: string; readonly required: boolean; readonly codec: t.Mixed }[] | undefined {
  const described = codecDescriptions.get(codec);
  if (described?.kind === 'strictObject') {
    return [
      ...Object.entries(described.required).map(([name, c]) => ({ name, required: true, codec: c as t.Mixed })),
      ...Object.entries(described.optional).map(([name, c]) => ({ name, required: false, codec: c as t.Mixed })),
    ];
  }
  const c = codec as AnyCodec;
  switch (c._tag) {
    case 'InterfaceType':
    case 'StrictType':
      return Object.entries((codec as unknown as t.InterfaceType<t.Props>).props).map(([name, p]) => ({ name, required: !acceptsUndefined(p), codec: stripUndefined(p) }));
    case 'PartialType':
      return Object.entries((codec as unknown as t.PartialType<t.Props>).props).map(([name, p]) => ({ name, required: false, codec: p }));
    case 'ExactType':
    case 'ReadonlyType':
    case 'RefinementType':
      return fieldsOf((codec as unknown as { type: t.Mixed }).type);
    case 'IntersectionType': {
      const parts = (codec as unknown as t.IntersectionType<t.Mixed[]>).types.map(fieldsOf);
      return parts.every((p) => p !== undefined) ? parts.flat() as { name: string; required: boolean; codec: t.Mixed }[] : undefined;
    }
    default:
      return undefined;
  }
}
