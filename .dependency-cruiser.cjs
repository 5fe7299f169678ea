// The layers of shared/design/ARCHITECTURE.md: each may import only the layers below it.
// checker/ is generic and sits low (it knows nothing of kernels); verify/ adapts the kernel world to it.
const order = ['base', 'checker', 'isa', 'machine', 'kernel', 'patching', 'verify', 'scenario', 'cli'];
const forbidden = order.map((layer, i) => ({
  name: `no-upward-from-${layer}`,
  comment: `${layer}/ may import only ${order.slice(0, i).join(', ') || 'nothing'} below it`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(${order.slice(i + 1).join('|') || '__none__'})/` },
}));
forbidden.push({
  name: 'no-node-in-core',
  comment: 'the core runs in a browser too: only cli/ touches Node APIs',
  severity: 'error',
  from: { path: '^src/(base|checker|isa|machine|kernel|patching|verify|scenario)/', pathNot: '\\.test\\.ts$' },
  to: { dependencyTypes: ['core'] },
});
forbidden.push({
  name: 'no-circular',
  severity: 'error',
  from: {},
  to: { circular: true },
});
module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.ts$' },
  },
};
