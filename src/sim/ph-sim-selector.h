/* ph-sim-selector.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ph-sim-store.h"

G_BEGIN_DECLS

typedef struct _PhSimSelector PhSimSelector;

/* Label selectors: "a=b", "a==b", "a!=b", "a in (x,y)", "a notin (x)",
 * "a", "!a", comma-separated (all must hold).  NULL or "" selects all. */
PhSimSelector *ph_sim_selector_parse_labels (const char          *text,
                                             GError             **error);
/* Field selectors: "label=value", "label==value", "label!=value", with
 * the labels @resource supports. */
PhSimSelector *ph_sim_selector_parse_fields (const char          *text,
                                             const PhSimResource *resource,
                                             GError             **error);
void           ph_sim_selector_free         (PhSimSelector       *self);
gboolean       ph_sim_selector_is_empty     (const PhSimSelector *self);
gboolean       ph_sim_selector_matches      (const PhSimSelector *self,
                                             PhSimObj            *obj);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhSimSelector, ph_sim_selector_free)

G_END_DECLS
