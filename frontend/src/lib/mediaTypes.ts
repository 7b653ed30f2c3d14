// Words for Plex item types, shown on poster cards.

export const TYPE_LABELS: Record<string, string> = {
  movie: "Movie",
  show: "Show",
  season: "Season",
  episode: "Episode",
  artist: "Artist",
  album: "Album",
  track: "Track",
  photo: "Photo",
};
