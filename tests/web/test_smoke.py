def test_home_renders(client, cast):
    response = client.get("/")
    assert response.status_code == 200
    assert "十四五" in response.content.decode()
