/* requirements.h — the per-requirement verdict table (docs/requirements.md). */
#ifndef VOIPDIAG_REQUIREMENTS_H
#define VOIPDIAG_REQUIREMENTS_H

struct result;

/*
 * Settle one verdict per requirement from the findings that bear on it: any fail-severity
 * finding → FAIL, any warn → WARN, traffic observed and checked → PASS, otherwise
 * NOT_OBSERVED with the reason in the evidence. Call after every check ran.
 */
void requirements_evaluate(struct result *r);

#endif
