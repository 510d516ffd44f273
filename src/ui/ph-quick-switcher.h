/* ph-quick-switcher.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Ctrl+K: type to jump to a resource kind or to an object of the list on
 * screen.  Emits "kind-chosen" (PhKind) or "object-chosen" (PhObject). */

#define PH_TYPE_QUICK_SWITCHER (ph_quick_switcher_get_type ())
G_DECLARE_FINAL_TYPE (PhQuickSwitcher, ph_quick_switcher, PH, QUICK_SWITCHER, AdwWindow)

PhQuickSwitcher *ph_quick_switcher_new         (GtkWindow       *parent,
                                                GListModel      *kinds,
                                                GListModel      *objects);
void             ph_quick_switcher_set_text    (PhQuickSwitcher *self,
                                                const char      *text);
guint            ph_quick_switcher_get_n_results (PhQuickSwitcher *self);
/* Chooses the best match for the text, as Enter does. */
gboolean         ph_quick_switcher_activate_first (PhQuickSwitcher *self);

G_END_DECLS
