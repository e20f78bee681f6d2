// The import rules of src/: no circles, and every stage imports only the stages below it.
// `npm test` runs this check (npm run check:imports); a new circle or an upward import fails it.
/** The stages of src/, lowest first: a folder may import its own files and those of earlier folders. */
const STAGES = ['base', 'corpus', 'kernel', 'model', 'train', 'vectors', 'query', 'serve', 'cli'];

const upward = STAGES.slice(0, -1).map((stage, i) => ({
  name: `${stage}-imports-only-lower-stages`,
  comment: `src/${stage}/ may import ${STAGES.slice(0, i).map((s) => `src/${s}/`).join(', ') || 'nothing else in src/'}: ` +
    'move the shared piece down, or pass it in from above.',
  severity: 'error',
  from: { path: `^src/${stage}/` },
  to: { path: `^src/(${STAGES.slice(i + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import circle: cut it by moving what both sides need into the lower one.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upward,
    {
      name: 'src-stays-out-of-tests-and-scripts',
      comment: 'The product does not import the tests, the benchmarks or the study.',
      severity: 'error',
      from: { path: '^(src|workers)/' },
      to: { path: '^(test|scripts)/' },
    },
    {
      name: 'only-the-entry-point-imports-it',
      comment: 'src/index.ts is the library entry point; nothing inside src/ imports it.',
      severity: 'error',
      from: { path: '^(src|workers)/' },
      to: { path: '^src/index\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)assembly/|^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
