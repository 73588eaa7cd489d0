// Vitest stand-in for the `server-only` package, whose default export throws outside React Server Components.
export {};
