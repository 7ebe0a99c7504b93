// The HUD: a text mask (one channel, 1 = ink) drawn over a translucent box at the top left.
// `rect` is the box in normalised device coordinates: (left, top, width, height).
#version 330

#if defined VERTEX_SHADER

uniform vec4 rect;
out vec2 uv;

void main() {
    vec2 corner = vec2(gl_VertexID & 1, (gl_VertexID >> 1) & 1);
    uv = vec2(corner.x, 1.0 - corner.y);
    gl_Position = vec4(rect.x + corner.x * rect.z, rect.y - (1.0 - corner.y) * rect.w, 0.0, 1.0);
}

#elif defined FRAGMENT_SHADER

uniform sampler2D text;
in vec2 uv;
out vec4 colour;

void main() {
    float ink = texture(text, uv).r;
    colour = mix(vec4(0.0, 0.0, 0.0, 0.55), vec4(1.0, 0.95, 0.6, 1.0), ink);
}

#endif
