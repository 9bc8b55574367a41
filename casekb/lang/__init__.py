"""The query language: text -> syntax tree -> resolved query.

The pipeline, one module a step:
- `parser.parse(text)`: the grammar (grammar/casekb.lark, compiled into the generated
  `_standalone_parser`) to a syntax tree (`ast`); `syntax` words the parser's errors for
  people;
- `resolve.resolve(query, text)`: names against `registry` (the entities and their fields,
  declared with the building blocks of `fields`), values typed, checked and numbered;
- `describe.describe(name, examples)`: an entity's fields in words, with example values.

Planning a resolved query is casekb/plan/, running it casekb/execute/, and the library object
that does all of it casekb/kb.py. Nothing is imported here, so that importing a submodule
stays cheap.
"""
