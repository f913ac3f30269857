// Maps (Leaflet) of the buurt shapes this site serves itself; a base map only when configured.
// Every page with a map works without it: the place field, the buurt select and the lists
// carry the same information for keyboard and screen-reader users.
//
// <div data-kaart
//      data-vormen-url="…"     GeoJSON of the buurt shapes to draw
//      data-focus="BU…"        the buurt to outline and zoom to
//      data-buurt-url="…/__code__/"   a tap on a shape opens that buurt's page (the buurt list)
//      data-punt="lat,lon"     one fixed point (the officer's melding page)
//      data-punten-url="…"     points as JSON {"punten": [{lat, lon, titel, url}]}, clustered
//      data-kiezen             drop or move a pin in the enclosing form (see ``picker``)
//      data-adres-url="…"      optional: the nearest address to the pin (see ``picker``)
//      data-tegels-url, data-tegels-attributie   optional base map tiles>
"use strict";

(() => {
  const L = window.L;
  if (!L) {
    return;
  }
  const SHAPE = { color: "#1b4d7a", weight: 1, opacity: 0.7, fillOpacity: 0.06 };
  const FOCUS = { color: "#b02a37", weight: 3, opacity: 1, fillOpacity: 0.12 };
  const NETHERLANDS = [52.2, 5.3];

  // A name that ends a sentence brings its own full stop ("Speld gezet in Leliegracht e.o."),
  // as buurten/namen.py's before_full_stop does on the server: never "e.o..".
  const fill = (template, naam) =>
    (template || "").replace(/%\(naam\)s(\.?)/, (_match, stop) =>
      stop && naam.endsWith(".") ? naam : naam + stop,
    );

  async function fetchJson(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok) {
      throw new Error(`${response.status} ${url}`);
    }
    return response.json();
  }

  // Even-odd over every ring, as the server's ``buurten.geo.contains`` counts.
  function contains(feature, lon, lat) {
    let inside = false;
    for (const polygon of feature.geometry.coordinates) {
      for (const ring of polygon) {
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          const [xi, yi] = ring[i];
          const [xj, yj] = ring[j];
          if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) {
            inside = !inside;
          }
        }
      }
    }
    return inside;
  }

  function buurtAt(features, latlng) {
    return features.find((feature) => contains(feature, latlng.lng, latlng.lat)) || null;
  }

  function makeMap(element) {
    // maxZoom also without tiles: clustering needs it.
    const map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.5, maxZoom: 19 });
    // Credited in words, not as a link: a link to leafletjs.com was a tab stop in the middle of
    // the melding form, between the place and the buurt (its licence is in static/vendor).
    map.attributionControl.setPrefix("Leaflet");
    map.setView(NETHERLANDS, 7);
    const tiles = element.dataset.tegelsUrl;
    if (tiles) {
      L.tileLayer(tiles, {
        attribution: element.dataset.tegelsAttributie || "",
        maxZoom: 19,
      }).addTo(map);
    }
    return map;
  }

  async function drawShapes(map, element) {
    const focus = element.dataset.focus;
    const data = await fetchJson(element.dataset.vormenUrl);
    const layer = L.geoJSON(data, {
      style: (feature) => (feature.properties.code === focus ? FOCUS : SHAPE),
      // The pin is placed by a tap anywhere, also on a shape: the shapes only show.
      interactive: !("kiezen" in element.dataset),
    });
    const picker = "kiezen" in element.dataset;
    if (!picker) {
      // Names on hover; the picker names the buurt under the pin in its status line instead.
      layer.eachLayer((shape) => shape.bindTooltip(shape.feature.properties.naam, { sticky: true }));
    }
    const link = element.dataset.buurtUrl;
    if (link && !picker) {
      // A tap on a shape goes where the list's link for that buurt goes (the list is the
      // keyboard's way: these are no tab stops either).
      layer.eachLayer((shape) => {
        const url = link.replace("__code__", encodeURIComponent(shape.feature.properties.code));
        shape.on("click", () => window.location.assign(url));
      });
    }
    layer.addTo(map);
    // No tab stop per shape (Leaflet lets a shape with a tooltip take focus): hundreds of them
    // stood between the place field and the buurt list, which are the keyboard's way in.
    layer.eachLayer((shape) => {
      const path = shape.getElement && shape.getElement();
      if (path) {
        path.setAttribute("tabindex", "-1");
      }
    });
    const focused = layer.getLayers().find((shape) => shape.feature.properties.code === focus);
    const bounds = (focused || layer).getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [8, 8] });
    }
    element.vormen = layer; // the picker outlines the buurt under the pin
    return data.features;
  }

  // The point within its buurt: the view holds both (zoomed in further, the base map shows
  // the streets when there is one).
  function drawPoint(map, element, features) {
    const latlng = L.latLng(element.dataset.punt.split(",").map(Number));
    L.marker(latlng, { keyboard: false, alt: element.dataset.puntLabel || "" }).addTo(map);
    const bounds = features.length ? L.geoJSON(features).getBounds() : null;
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds.extend(latlng), { padding: [8, 8] });
    } else {
      map.setView(latlng, 17);
    }
  }

  async function drawPoints(map, element) {
    const data = await fetchJson(element.dataset.puntenUrl);
    const group = L.markerClusterGroup ? L.markerClusterGroup() : L.featureGroup();
    for (const punt of data.punten) {
      const link = document.createElement("a");
      link.href = punt.url;
      link.textContent = punt.titel;
      group.addLayer(L.marker([punt.lat, punt.lon], { keyboard: false }).bindPopup(link));
    }
    group.addTo(map);
    element.dataset.punten = String(data.punten.length); // for tests and curious officers
    const bounds = group.getBounds();
    // Over the area's shapes the view stays on the whole area (the points lie in it).
    if (bounds.isValid() && !element.vormen) {
      map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 });
    }
  }

  // The melding form: a tap drops the pin, dragging moves it, "use my location" (site.js) and
  // a picked address (adreszoeker.js, event "adres:gekozen") put it there; the hidden
  // latitude/longitude and the buurt select follow. One status line names the buurt under the
  // pin (and says so when that is not the resident's own: the melding goes where it happened),
  // another the address to confirm: the picked one, or the nearest to the pin
  // (data-adres-url, GET ?lat=…&lon=…). The resident's own place field is never filled in.
  // The server decides the buurt, and finds the address, again on submit.
  function picker(map, element, features) {
    const form = element.closest("form");
    const fields = form.elements;
    const status = form.querySelector("[data-kaart-status]");
    const adresStatus = form.querySelector("[data-kaart-adres]");
    const geolocateStatus = form.querySelector("[data-geolocate-status]");
    const clear = form.querySelector("[data-kaart-wis]");
    const zoek = form.querySelector("[data-adres-punt]"); // the address search (adreszoeker.js)
    const fillAdres = (template, adres) => (template || "").replace("%(adres)s", adres);
    let marker = null;
    let asked = 0; // the newest address question; older answers are dropped

    const sayAdres = (text) => {
      if (adresStatus) {
        adresStatus.textContent = text || "";
      }
    };

    async function lookUpAddress(latlng) {
      const url = element.dataset.adresUrl;
      const mine = ++asked;
      sayAdres("");
      if (!url) {
        return;
      }
      const query = new URLSearchParams({ lat: latlng.lat.toFixed(6), lon: latlng.lng.toFixed(6) });
      try {
        const data = await fetchJson(`${url}?${query}`);
        if (mine === asked && data.adres && data.adres.label) {
          sayAdres(fillAdres(element.dataset.adresDichtbij, data.adres.label));
        }
      } catch {
        // Offline or down: the buurt line and the place field say enough.
      }
    }

    function sayBuurt(found, fallbackCode) {
      const code = found ? found.properties.code : fallbackCode || null;
      if (element.vormen) {
        element.vormen.setStyle((feature) => (feature.properties.code === code ? FOCUS : SHAPE));
      }
      if (code && fields.buurt && fields.buurt.querySelector(`option[value="${code}"]`)) {
        fields.buurt.value = code;
      }
      if (found) {
        const own = found.properties.code === element.dataset.focus;
        const template = own ? element.dataset.inBuurt : element.dataset.andereBuurt;
        status.textContent = fill(template, found.properties.naam);
      } else {
        // Outside every shape: outside the gemeente, or (where some buurten have no shape on
        // the map) in one of those, which the resident picks in the select.
        const onbekend = "vormenOnvolledig" in element.dataset;
        const message = onbekend ? element.dataset.onbekend : element.dataset.buiten;
        status.textContent = features.length && !fallbackCode ? message || "" : "";
      }
    }

    // ``adres``: the address the resident picked (no need to ask for the nearest one).
    function place(latlng, { adres = null, buurtCode = null, fromLocation = false } = {}) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, alt: element.dataset.speldLabel || "" });
        marker.on("dragend", () => place(marker.getLatLng()));
        marker.addTo(map);
      }
      marker.setLatLng(latlng);
      fields.latitude.value = latlng.lat.toFixed(6);
      fields.longitude.value = latlng.lng.toFixed(6);
      sayBuurt(buurtAt(features, latlng), buurtCode);
      if (geolocateStatus && !fromLocation) {
        geolocateStatus.textContent = ""; // "Location added" is no longer this pin
      }
      if (clear) {
        clear.hidden = false;
      }
      if (adres) {
        asked++;
        sayAdres(fillAdres(element.dataset.adresGekozen, adres));
      } else {
        if (zoek) {
          zoek.value = ""; // the address typed there is no longer where the pin is
        }
        lookUpAddress(latlng);
      }
      moved();
    }

    // "speld" on the form when the pin is set, moved or taken away (detail: {lat, lon} or
    // null), for whoever follows it (ik_ook.js).
    function moved() {
      const lat = fields.latitude.value;
      const lon = fields.longitude.value;
      const detail = lat && lon ? { lat, lon } : null;
      form.dispatchEvent(new CustomEvent("speld", { detail, bubbles: true }));
    }

    // Into view without losing the buurt around it; zoomed in when the pin is far away, and
    // to the street around a picked address.
    function show(latlng, { street = false } = {}) {
      if (street) {
        map.setView(latlng, Math.max(map.getZoom(), 17));
      } else if (!map.getBounds().contains(latlng)) {
        map.setView(latlng, Math.max(map.getZoom(), 15));
      }
    }

    map.on("click", (event) => place(event.latlng));
    form.addEventListener("locatie", (event) => {
      const latlng = L.latLng(event.detail.lat, event.detail.lon);
      place(latlng, { fromLocation: true });
      show(latlng);
    });
    form.addEventListener("adres:gekozen", (event) => {
      const { adres, buurt } = event.detail || {};
      if (!adres || adres.lat == null || adres.lon == null) {
        return;
      }
      const latlng = L.latLng(adres.lat, adres.lon);
      place(latlng, { adres: adres.label, buurtCode: buurt ? buurt.code : null });
      show(latlng, { street: true });
    });
    if (clear) {
      clear.addEventListener("click", () => {
        if (marker) {
          marker.remove();
          marker = null;
        }
        asked++;
        fields.latitude.value = "";
        fields.longitude.value = "";
        status.textContent = "";
        sayAdres("");
        if (zoek) {
          zoek.value = "";
        }
        if (geolocateStatus) {
          geolocateStatus.textContent = "";
        }
        clear.hidden = true;
        moved();
        if (element.vormen) {
          const focus = element.dataset.focus;
          element.vormen.setStyle((feature) => (feature.properties.code === focus ? FOCUS : SHAPE));
        }
      });
    }
    if (fields.latitude.value && fields.longitude.value) {
      // Back after a failed submit: the pin where it was, said in the map's status lines.
      const latlng = L.latLng(Number(fields.latitude.value), Number(fields.longitude.value));
      place(latlng);
      show(latlng);
    }
  }

  async function init(element) {
    const map = makeMap(element);
    let features = [];
    try {
      if (element.dataset.vormenUrl) {
        features = await drawShapes(map, element);
      }
      if (element.dataset.punt) {
        drawPoint(map, element, features);
      }
      if (element.dataset.puntenUrl) {
        await drawPoints(map, element);
      }
    } catch (error) {
      element.dataset.kaartFout = String(error); // the map stays as far as it got
    }
    if ("kiezen" in element.dataset) {
      picker(map, element, features);
    }
    element.dataset.kaartKlaar = ""; // drawn: browser tests wait for this
  }

  for (const element of document.querySelectorAll("[data-kaart]")) {
    init(element);
  }
})();
