/* ph-frame-probe.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Records the frame times of a window (from its GdkFrameClock) and a few
 * named milestones, and writes them to a file, for the UI benchmark and for
 * anyone who wants to see where the time goes (--profile-frames FILE or
 * PORTHOLE_PROFILE_FRAMES=FILE).
 *
 * File format, one record per line, times in µs of the monotonic clock
 * (CLOCK_MONOTONIC, comparable across processes):
 *   frame START_US INTERVAL_US PAINT_US
 *   mark NAME TIME_US
 * INTERVAL is the time since the previous frame when both were part of a
 * continuous run of frames, else 0.  An attached window draws frames
 * continuously, so INTERVAL includes every main-loop stall. */

#define PH_TYPE_FRAME_PROBE (ph_frame_probe_get_type ())
G_DECLARE_FINAL_TYPE (PhFrameProbe, ph_frame_probe, PH, FRAME_PROBE, GObject)

PhFrameProbe *ph_frame_probe_new        (const char    *path);
const char   *ph_frame_probe_get_path   (PhFrameProbe  *self);
void          ph_frame_probe_attach     (PhFrameProbe  *self,
                                         GtkWidget     *widget);
/* Records @name at the current time; only the first mark of a name counts. */
void          ph_frame_probe_mark       (PhFrameProbe  *self,
                                         const char    *name);
guint         ph_frame_probe_get_n_frames (PhFrameProbe *self);
gboolean      ph_frame_probe_write      (PhFrameProbe  *self,
                                         GError       **error);

G_END_DECLS
