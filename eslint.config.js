// ESLint (flat config) for the site's JavaScript — `make js-test` runs it (versions pinned in package.json).
// site/assets/list.js, javascripts/search.js and js/*.js are ES modules for the browser; the theme-*.js files are
// the theme's inline scripts moved to files for the CSP (classic scripts, kept as the theme writes them);
// tests/js/*.test.mjs run in Node (`node --test`).
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "build/", ".venv/"] },
  js.configs.recommended,
  {
    files: ["site/assets/**/*.js"],
    languageOptions: { ecmaVersion: 2020, sourceType: "module", globals: { ...globals.browser } },
    rules: {
      "eqeqeq": "error",
      "no-var": "error",
      "prefer-const": "error",
      "no-implicit-globals": "error",
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
      "no-restricted-properties": ["error",
        { object: "document", property: "write", message: "insert text with textContent, never HTML" }],
      "no-restricted-syntax": ["error",
        { selector: "AssignmentExpression[left.property.name=/^(innerHTML|outerHTML)$/]", message: "insert text with textContent, never HTML" },
        { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: "insert text with textContent, never HTML" },
        { selector: "CallExpression[callee.name='eval'], NewExpression[callee.name='Function']", message: "no code from strings (CSP)" }],
    },
  },
  {
    files: ["site/assets/js/**/*.js"],  // the pure modules: no page globals except in dom.js
    ignores: ["site/assets/js/dom.js"],
    rules: {
      "no-restricted-globals": ["error", "document", "window", "location", "history", "fetch", "localStorage"],
    },
  },
  {
    files: ["site/assets/javascripts/theme-*.js"],
    languageOptions: { sourceType: "script", globals: { __md_get: "readonly" } },
    rules: { "no-var": "off", "prefer-const": "off" },
  },
  {
    files: ["tests/js/**/*.mjs", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.node } },
  },
];
