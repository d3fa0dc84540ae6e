import type { RunScope } from './types';

/** Short label of a scope, for search attributes, logs and emails: `top-50`, `ranks-1-1000`, `full`. */
export function scopeLabel(scope: RunScope): string {
  switch (scope.kind) {
    case 'top':
      return `top-${scope.count}`;
    case 'ranks':
      return `ranks-${scope.from}-${scope.to}`;
    case 'domains':
      return `domains-${scope.domains.length}`;
    default:
      return scope.kind;
  }
}
