/* ph-window.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ph-window.h"

struct _PhWindow
{
  AdwApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (PhWindow, ph_window, ADW_TYPE_APPLICATION_WINDOW)

static void
ph_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PH_TYPE_WINDOW);

  G_OBJECT_CLASS (ph_window_parent_class)->dispose (object);
}

static void
ph_window_class_init (PhWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ph_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/porthole/Porthole/ui/ph-window.ui");
}

static void
ph_window_init (PhWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

PhWindow *
ph_window_new (PhApplication *application)
{
  return g_object_new (PH_TYPE_WINDOW, "application", application, NULL);
}
