/* ph-plugin-error.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ph-plugin-error.h"

G_DEFINE_QUARK (ph-plugin-error-quark, ph_plugin_error)
