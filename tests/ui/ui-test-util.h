/* ui-test-util.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ph-sim-server.h"

G_BEGIN_DECLS

/* Helpers the UI test programs share. */

typedef gboolean (*UiTestCondition) (gpointer data);

/* Iterates the main context until @condition holds; FALSE after @seconds. */
gboolean     ui_test_wait_for                (UiTestCondition  condition,
                                              gpointer         data,
                                              guint            seconds);
void         ui_test_spin                    (guint            ms);
GtkWidget   *ui_test_find_inscription        (GtkWidget       *widget,
                                              const char      *text);
GtkWidget   *ui_test_find_descendant_of_type (GtkWidget       *widget,
                                              GType            type);
GtkWindow   *ui_test_find_toplevel           (GType            type);
/* A small still simulated cluster (24 pods in 2 namespaces). */
PhSimServer *ui_test_start_server            (guint64          seed);
void         ui_test_remove_tree             (const char      *path);

G_END_DECLS
