/* ph-about.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

GtkWindow *ph_about_window_new  (GtkWindow *parent);
void       ph_show_about_window (GtkWindow *parent);

G_END_DECLS
