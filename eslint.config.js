import neostandard from 'neostandard'

export default [
  ...neostandard({
    ts: true,
    // Build output, caches and generated files: nobody edits them by hand.
    ignores: [
      'dist/**',
      'bench/.build/**',
      'bench/profiles/**',
      'coverage/**',
      '.tap/**',
      'node_modules/**',
      'openapi/**',
      'test/artifacts/**'
    ]
  }),
  {
    // The explorer's page modules run in the browser (served as they are, no build step).
    files: ['src/explorer/public/**/*.js'],
    languageOptions: { globals: { location: 'readonly', history: 'readonly' } }
  },
  {
    // A test reads answers through the documented response types (or unknown, narrowed): an `any` would let a
    // test read a field the answer does not have, and compile.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' }
  },
  {
    // neostandard leaves these choices open; the code base makes each one way, and the linter keeps it so.
    rules: {
      '@stylistic/comma-dangle': ['error', 'never'],
      '@stylistic/arrow-parens': ['error', 'as-needed'],
      '@stylistic/member-delimiter-style': ['error', {
        multiline: { delimiter: 'none' },
        singleline: { delimiter: 'comma', requireLast: false }
      }]
    }
  }
]
