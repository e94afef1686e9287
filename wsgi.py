from cctv_requests import create_app

app = create_app()
