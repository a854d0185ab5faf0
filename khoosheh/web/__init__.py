"""The web toolkit every app's pages use: form fields, page actions, paging, parameter parsing, middleware
(CSP, request limits, Persian first), error pages, readable history and the Persian template filters.

It sits low (docs/architecture.md): it depends on core/ and accounts/ only, so any app may import it and it
never imports an app. The site on top (`portal/`) is what orchestrates the apps."""
