// How the capture page asks MediaRecorder to record the challenge, in one place: the page
// (register.js) and the browser tests and benchmark that measure its recordings load this file.
"use strict";
window.kycRecording = Object.freeze({
  // WebM first: the liveness checks read VP9 and VP8 best. MP4 (H.264) is the fallback
  // Safari needs.
  TYPES: ["video/webm;codecs=vp9", "video/webm;codecs=vp8", "video/webm", "video/mp4"],

  // The MediaRecorder options for `mime` (undefined: the browser's own type). The liveness
  // check reads the camera's own noise on the still backdrop. Chromium's default bitrate
  // (about 2.5 Mbit/s) quantises part of it away in VP9; asking for 8 Mbit/s keeps it (a
  // 640 × 480 camera at 15 fps; the encoders spend 3-4 Mbit/s of it). Chromium's H.264
  // copies still blocks from the previous frame whatever the bitrate, which erases the
  // noise there, so in MP4 each frame is asked to be a key frame, coded on its own
  // (an interval of 1 ms; a count of 1 gave every other frame). Options a browser does
  // not know are ignored.
  options(mime) {
    const options = { videoBitsPerSecond: 8000000 };
    if (mime) options.mimeType = mime;
    if (mime && mime.startsWith("video/mp4")) options.videoKeyFrameIntervalDuration = 1;
    return options;
  },
});
