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
